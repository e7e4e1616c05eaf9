package io.goodhart.lake;

/**
 * A failure that is itself the reason a run stopped, and says so in its message: the input was refused,
 * an audit failed, another run got in the way. A failed publish reports it as it is, without looking for
 * another run behind it (the write-audit-publish of {@code io.goodhart.runs}).
 */
public interface RunVerdict {}
