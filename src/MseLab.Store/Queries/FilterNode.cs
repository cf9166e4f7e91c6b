namespace MseLab.Store.Queries;

/// <summary>A node of a parsed filter expression.</summary>
public abstract record FilterNode;

/// <summary><c>left and right</c>.</summary>
public sealed record AndNode(FilterNode Left, FilterNode Right) : FilterNode;

/// <summary><c>left or right</c>.</summary>
public sealed record OrNode(FilterNode Left, FilterNode Right) : FilterNode;

/// <summary><c>not operand</c>.</summary>
public sealed record NotNode(FilterNode Operand) : FilterNode;

/// <summary><c>field OP value</c>; the value is a string, a double or a UTC <see cref="DateTime"/> as the field's kind asks.</summary>
public sealed record CompareNode(FilterField Field, string Operator, object Value) : FilterNode;

/// <summary><c>field [not] in (v1, v2, ...)</c>.</summary>
public sealed record InNode(FilterField Field, IReadOnlyList<object> Values, bool Negated) : FilterNode;

/// <summary><c>field [not] like 'pattern'</c> (% any run, _ one character; case-insensitive on both providers).</summary>
public sealed record LikeNode(FilterField Field, string Pattern, bool Negated) : FilterNode;
