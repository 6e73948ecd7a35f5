/* bench_true: exits 0 at once; the program that fork_exec_wait executes
 * (built static, so exec costs no dynamic loading). */
int main(void)
{
	return 0;
}
