// Other tasks, for stdlib/task.bt's comm(pid): the kfunc bpf_task_from_pid
// finds a task by pid (and holds a reference until bpf_task_release). Only
// the member read is declared: CO-RE relocates it against the running
// kernel, so this unit needs no vmlinux.h.
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

struct task_struct {
  char comm[16];
} __attribute__((preserve_access_index));

extern struct task_struct *bpf_task_from_pid(__s32 pid) __weak __ksym;
extern void bpf_task_release(struct task_struct *p) __weak __ksym;

struct __task_comm {
  char s[16];
};

// The name of task `pid` into `out`: 0, -3 (ESRCH) when there is no such
// task, -95 (EOPNOTSUPP) when the kernel lacks the kfuncs.
int __bpf_task_comm_from_pid(int pid, struct __task_comm *out)
{
  if (!bpf_task_from_pid || !bpf_task_release)
    return -95;
  struct task_struct *task = bpf_task_from_pid(pid);
  if (!task)
    return -3;
  bpf_probe_read_kernel_str(out->s, sizeof(out->s), task->comm);
  bpf_task_release(task);
  return 0;
}
