# Run by acl_tools.sh in a scratch directory: what new files and directories
# inherit from a default ACL (and the umask where there is none).
umask 022
mkdir d; setfacl -d -m u:1000:rwx,g::rwx d
touch d/f; mkdir d/sub; mknod d/p p 2>/dev/null || mkfifo d/p
python3 -c 'import os; os.close(os.open("d/o", os.O_CREAT|os.O_WRONLY, 0o640))'
stat -c '%n %A' d/f d/sub d/p d/o
getfacl -n d/f d/sub d/o 2>&1
umask 077; touch plain; mkdir pdir; stat -c '%n %A' plain pdir
setfacl -d -m u::rw,g::r,o::- d2 2>&1; mkdir d2; setfacl -d -m u::rw,g::r,o::- d2; touch d2/eq; stat -c '%n %A' d2/eq; getfacl -n d2/eq
