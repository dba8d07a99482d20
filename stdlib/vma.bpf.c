// Where a file is mapped in the current process: the lowest start address of
// the mappings of the file with inode `ino` (the first in /proc/PID/maps
// order), through the task VMA iterator kfuncs (Linux 6.7 and later); 0
// when the kernel has none or the file is not mapped. uaddr() adds it to a
// symbol's address in a PIE or a shared library.
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>

struct bs_compat_iter_task_vma {
  __u64 __opaque[1];
} __attribute__((aligned(8)));

extern int bpf_iter_task_vma_new(struct bs_compat_iter_task_vma *it, struct task_struct *task, __u64 addr) __ksym __weak;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bs_compat_iter_task_vma *it) __ksym __weak;
extern void bpf_iter_task_vma_destroy(struct bs_compat_iter_task_vma *it) __ksym __weak;

__u64 __bs_file_load_address(__u64 ino)
{
  if (!bpf_iter_task_vma_new || !bpf_iter_task_vma_next || !bpf_iter_task_vma_destroy)
    return 0;
  struct bs_compat_iter_task_vma it;
  struct vm_area_struct *vma;
  __u64 start = 0;
  if (bpf_iter_task_vma_new(&it, bpf_get_current_task_btf(), 0)) {
    bpf_iter_task_vma_destroy(&it);
    return 0;
  }
  while ((vma = bpf_iter_task_vma_next(&it))) {
    struct file *file = vma->vm_file;
    if (file && file->f_inode->i_ino == ino) {
      start = vma->vm_start;
      break;
    }
  }
  bpf_iter_task_vma_destroy(&it);
  return start;
}
