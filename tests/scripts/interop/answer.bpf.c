#include "answer.h"

int __answer(void)
{
  return ANSWER;
}
