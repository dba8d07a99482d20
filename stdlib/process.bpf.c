// The current task's ids, for stdlib/task.bt: each function wraps one BPF
// helper, so the macros stay expressions of the script.
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

// The user id (low 32 bits) and group id (high 32 bits) of the current task.
unsigned long long __get_current_uid_gid(void)
{
  return bpf_get_current_uid_gid();
}

// The id of the current task's cgroup (cgroup v2).
unsigned long long __get_cgroup(void)
{
  return bpf_get_current_cgroup_id();
}
