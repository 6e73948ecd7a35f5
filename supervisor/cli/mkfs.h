/*
 * `uos mkfs IMAGE SIZE [--from DIR|TARFILE] [--block-size N]` and `uos fsck IMAGE`: make an
 * ext2 image (mke2fs formats it; imgfs fills it) and check one (e2fsck -fn).
 */
#pragma once

/*
 * The mkfs and fsck commands; argv[0] is "mkfs" or "fsck".  Returns the
 * process exit status: 0 on success (a clean image for fsck), 1 when the
 * work failed or the image has problems, 2 on bad usage.
 */
int mkfs_main(int argc, char **argv);
/*
 * Make image an empty ext2 filesystem of size bytes (a sparse file,
 * formatted by mke2fs).  0, or -1 with a message on stderr.
 */
int mkfs_format(const char *image, unsigned long long size);
/* mkfs_format with a block size of 1024, 2048 or 4096 bytes (0: mke2fs's choice). */
int mkfs_format_bs(const char *image, unsigned long long size, unsigned block_size);
/*
 * The size in bytes (whole MiB) an image needs to hold the tree from (a
 * directory or a tar file) at block size bs (0: mke2fs's choice), or 0 when
 * from cannot be measured (stdin) (mkfs_size.c).
 */
unsigned long long mkfs_needed(const char *from, unsigned bs);
/* The mkfs command (mkfs_cmd.c); argv[0] is "mkfs". */
int mkfs_cmd(int argc, char **argv);
/* The usage message of mkfs and fsck on stderr; returns 2. */
int mkfs_usage(void);
/* "64M" and the like: bytes, or 0 when malformed. */
unsigned long long mkfs_parse_size(const char *s);
/* Size the open image fd to size (sparse zeros) and format it with mke2fs.  0 or -1 (said). */
int mkfs_format_fd(const char *image, int fd, unsigned long long size, unsigned block_size);
