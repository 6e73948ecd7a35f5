/*
 * `uos conform`: run conformance test programs natively and under uos,
 * compare their TAP results case by case, report per area, and gate on
 * regressions against a known-failures list.
 */
#pragma once

/*
 * The `uos conform` command; argv[0] is "conform".  Returns the process exit
 * status: 0 when every case that passes natively passes under uos (or is
 * listed with --known), 1 otherwise, 2 on bad usage.
 */
int conform_main(int argc, char **argv);
