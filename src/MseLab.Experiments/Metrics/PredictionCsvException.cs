namespace MseLab.Experiments.Metrics;

/// <summary>A prediction CSV that cannot be read; the message names the file, and the line and column when known.</summary>
public sealed class PredictionCsvException : FormatException
{
    public PredictionCsvException()
    {
    }

    public PredictionCsvException(string message)
        : base(message)
    {
    }

    public PredictionCsvException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a place in a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="line">1-based line number, or null for the whole file.</param>
    /// <param name="column">The column involved, or null.</param>
    /// <param name="problem">What is wrong and how to fix it.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public PredictionCsvException(string path, int? line, string? column, string problem, Exception? innerException = null)
        : base(Describe(path, line, column, problem), innerException)
    {
        FilePath = path;
        Line = line;
        Column = column;
    }

    /// <summary>The file that failed.</summary>
    public string? FilePath { get; }

    /// <summary>1-based line number, when the problem is on one line.</summary>
    public int? Line { get; }

    /// <summary>The column involved, when there is one.</summary>
    public string? Column { get; }

    private static string Describe(string path, int? line, string? column, string problem)
    {
        var place = line is null ? path : $"{path}:{line}";
        return column is null ? $"{place}: {problem}" : $"{place}: column '{column}': {problem}";
    }
}
