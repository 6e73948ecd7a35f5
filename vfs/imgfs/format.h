/*
 * The ext2 revision-1 on-disk format, as mke2fs writes it and fs/ext2 reads
 * it: superblock, group descriptors, inodes and directory entries.  Every
 * field is little-endian on disk; uos runs on x86-64 only, so the structs are
 * used in place (the build asserts the host is little-endian).
 */
#pragma once

#include <stdint.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "imgfs reads ext2 little-endian structures in place"
#endif

#define EXT2_SUPER_MAGIC 0xEF53
#define EXT2_SUPER_OFFSET 1024 /* byte offset of the superblock in the image */
#define EXT2_DYNAMIC_REV 1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_ROOT_INO 2
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK 12
#define EXT2_DIND_BLOCK 13
#define EXT2_TIND_BLOCK 14
#define EXT2_N_BLOCKS 15
#define EXT2_NAME_LEN 255
#define EXT2_LINK_MAX 32000
#define EXT2_VALID_FS 1
#define EXT2_ERROR_FS 2

/* s_feature_compat */
#define EXT2_FEATURE_COMPAT_DIR_PREALLOC 0x0001
#define EXT2_FEATURE_COMPAT_IMAGIC_INODES 0x0002
#define EXT3_FEATURE_COMPAT_HAS_JOURNAL 0x0004
#define EXT2_FEATURE_COMPAT_EXT_ATTR 0x0008
#define EXT2_FEATURE_COMPAT_RESIZE_INODE 0x0010
#define EXT2_FEATURE_COMPAT_DIR_INDEX 0x0020
/* s_feature_ro_compat */
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
/* s_feature_incompat */
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT3_FEATURE_INCOMPAT_RECOVER 0x0004
#define EXT3_FEATURE_INCOMPAT_JOURNAL_DEV 0x0008
#define EXT4_FEATURE_INCOMPAT_EXTENTS 0x0040

/* i_flags */
#define EXT2_INDEX_FL 0x00001000 /* hash-indexed directory */
#define EXT4_EXTENTS_FL 0x00080000

/* Directory entry file types (filetype feature). */
enum {
	EXT2_FT_UNKNOWN, EXT2_FT_REG_FILE, EXT2_FT_DIR, EXT2_FT_CHRDEV,
	EXT2_FT_BLKDEV, EXT2_FT_FIFO, EXT2_FT_SOCK, EXT2_FT_SYMLINK,
};

struct ext2_super_block {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	/* EXT2_DYNAMIC_REV */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algorithm_usage_bitmap;
	uint8_t s_prealloc_blocks;
	uint8_t s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;
	uint8_t s_journal_uuid[16];
	uint32_t s_journal_inum;
	uint32_t s_journal_dev;
	uint32_t s_last_orphan;
	uint32_t s_hash_seed[4];
	uint8_t s_def_hash_version;
	uint8_t s_jnl_backup_type;
	uint16_t s_desc_size;
	uint32_t s_default_mount_opts;
	uint32_t s_first_meta_bg;
	uint32_t s_mkfs_time;
	uint32_t s_jnl_blocks[17];
	uint32_t s_blocks_count_hi;
	uint32_t s_r_blocks_count_hi;
	uint32_t s_free_blocks_hi;
	uint16_t s_min_extra_isize;
	uint16_t s_want_extra_isize;
	uint8_t s_rest[1024 - 0x160];
};

struct ext2_group_desc {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_flags;
	uint32_t bg_reserved[3];
};

struct ext2_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks; /* in 512-byte units, indirect blocks included */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;
	uint32_t i_size_high; /* regular files (large_file); i_dir_acl on old dirs */
	uint32_t i_faddr;
	uint16_t l_i_blocks_hi;
	uint16_t l_i_file_acl_high;
	uint16_t l_i_uid_high;
	uint16_t l_i_gid_high;
	uint16_t l_i_checksum_lo;
	uint16_t l_i_reserved;
	/* Large inodes (s_inode_size > 128) go on here. */
	uint16_t i_extra_isize;
	uint16_t i_checksum_hi;
	uint32_t i_ctime_extra;
	uint32_t i_mtime_extra;
	uint32_t i_atime_extra;
	uint32_t i_crtime;
	uint32_t i_crtime_extra;
	uint32_t i_version_hi;
	uint32_t i_projid;
};

struct ext2_dir_entry {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;
	char name[];
};

#define EXT2_DIR_REC_LEN(namelen) (((namelen) + 8 + 3) & ~3u)

/*
 * An extended-attribute block (i_file_acl): the header, then entries
 * sorted by (index, name length, name) up to four zero bytes, and the
 * values packed from the block's end down, each padded to 4 bytes.
 */
#define EXT2_XATTR_MAGIC 0xEA020000
struct ext2_xattr_header {
	uint32_t h_magic;
	uint32_t h_refcount;
	uint32_t h_blocks; /* always 1 */
	uint32_t h_hash;   /* of the entries' hashes (ext2_xattr_rehash) */
	uint32_t h_reserved[4];
};

struct ext2_xattr_entry {
	uint8_t e_name_len;
	uint8_t e_name_index; /* EXT2_XATTR_INDEX_*: the name's prefix */
	uint16_t e_value_offs; /* from the block's start */
	uint32_t e_value_block; /* always 0 */
	uint32_t e_value_size;
	uint32_t e_hash; /* of the name and the value */
	char e_name[];	 /* without the prefix, not NUL-terminated */
};

#define EXT2_XATTR_INDEX_USER 1
#define EXT2_XATTR_INDEX_ACL_ACCESS 2  /* system.posix_acl_access, name "" */
#define EXT2_XATTR_INDEX_ACL_DEFAULT 3 /* system.posix_acl_default, name "" */
#define EXT2_XATTR_INDEX_TRUSTED 4
#define EXT2_XATTR_INDEX_SECURITY 6
#define EXT2_XATTR_ROUND 3
/* Bytes an entry with a name of n bytes takes, and a value of n bytes. */
#define EXT2_XATTR_LEN(n) (((n) + EXT2_XATTR_ROUND + sizeof(struct ext2_xattr_entry)) & ~3u)
#define EXT2_XATTR_SIZE(n) (((n) + EXT2_XATTR_ROUND) & ~3u)

_Static_assert(sizeof(struct ext2_super_block) == 1024, "superblock size");
_Static_assert(sizeof(struct ext2_group_desc) == 32, "group descriptor size");
_Static_assert(sizeof(struct ext2_inode) == 160, "inode size");
_Static_assert(sizeof(struct ext2_xattr_header) == 32, "xattr header size");
_Static_assert(sizeof(struct ext2_xattr_entry) == 16, "xattr entry size");
