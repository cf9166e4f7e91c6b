namespace MseLab.Store.Queries;

/// <summary>
/// A <c>--where</c> / <c>?where=</c> expression that does not parse: a bad token, an unknown field, a missing parenthesis.
/// Nothing reaches the database when this is thrown. A <see cref="FormatException"/>, so the CLI answers it with exit 2.
/// </summary>
public sealed class FilterSyntaxException : FormatException
{
    public FilterSyntaxException(string expression, int position, string problem)
        : base($"--where at position {position}: {problem} (in \"{expression}\").")
    {
        Position = position;
        Problem = problem;
    }

    public FilterSyntaxException()
    {
    }

    public FilterSyntaxException(string message)
        : base(message)
    {
    }

    public FilterSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The 1-based character position where the problem starts.</summary>
    public int Position { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; } = "";
}
