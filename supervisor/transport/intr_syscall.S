/*
 * long uos_intr_syscall(long nr, long a1, long a2, long a3, long a4,
 *                       const volatile unsigned long *notes)
 *
 * The raw syscall of intr.c: -EINTR without making the call when *notes
 * is not zero.  [uos_intr_begin, uos_intr_end) is the window in which a
 * signal handler sends the thread to uos_intr_cancel instead (intr.c): the
 * check and the syscall instruction itself, where the kernel also leaves a
 * call it will restart.
 */
	.text
	.globl	uos_intr_syscall, uos_intr_begin, uos_intr_end, uos_intr_cancel
	.hidden	uos_intr_begin, uos_intr_end, uos_intr_cancel
	.type	uos_intr_syscall, @function
uos_intr_syscall:
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
uos_intr_begin:
	cmpq	$0, (%r9)
	jne	uos_intr_cancel
	syscall
uos_intr_end:
	ret
uos_intr_cancel:
	mov	$-4, %rax	/* -EINTR */
	ret
	.size	uos_intr_syscall, . - uos_intr_syscall
	.section .note.GNU-stack, "", @progbits
