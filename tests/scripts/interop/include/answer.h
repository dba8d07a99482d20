// Found by answer.bpf.c only because the script imports this header: an
// imported header's folder is on the include path of the script's C units.
#define ANSWER 42
