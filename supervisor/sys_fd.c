/* placeholder: being written */
#include "kernel.h"
