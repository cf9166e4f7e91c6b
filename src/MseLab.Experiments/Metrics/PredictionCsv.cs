using System.Globalization;

namespace MseLab.Experiments.Metrics;

/// <summary>
/// Reads and writes prediction files: a header row naming the columns <c>truth</c> and <c>prediction</c> (any order,
/// any case, other columns ignored), then one sample per line with invariant-culture numbers.
/// </summary>
/// <remarks>
/// Fields may be double-quoted (RFC 4180) but a record must fit on one line. Blank lines are skipped. Besides .NET's
/// spellings (NaN, Infinity), Python's <c>nan</c>, <c>inf</c> and <c>-inf</c> are accepted, since the reference
/// side writes them.
/// </remarks>
public static class PredictionCsv
{
    /// <summary>Name of the truth column.</summary>
    public const string TruthColumn = "truth";

    /// <summary>Name of the prediction column.</summary>
    public const string PredictionColumn = "prediction";

    /// <summary>Reads a prediction file.</summary>
    /// <exception cref="PredictionCsvException">
    /// The file is missing or unreadable, has no header or no rows, lacks a column, or holds a malformed row or value.
    /// </exception>
    public static PredictionSet Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var reader = new StreamReader(path);
            return Read(reader, path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PredictionCsvException(path, null, null, "file not found; check the path.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PredictionCsvException(path, null, null, $"cannot read the file: {ex.Message}", ex);
        }
    }

    /// <summary>Reads prediction rows from <paramref name="reader"/>; <paramref name="name"/> is used in messages.</summary>
    public static PredictionSet Read(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lineNumber = 0;
        string? line;
        do
        {
            line = reader.ReadLine();
            lineNumber++;
        }
        while (line is not null && line.Trim().Length == 0);

        if (line is null)
        {
            throw new PredictionCsvException(name, null, null, $"empty file; expected a header row '{TruthColumn},{PredictionColumn}'.");
        }

        var header = CsvFields.Split(line) ?? throw new PredictionCsvException(name, lineNumber, null, "unclosed quote in the header.");
        var truthIndex = ColumnIndex(header, TruthColumn, name, lineNumber);
        var predictionIndex = ColumnIndex(header, PredictionColumn, name, lineNumber);

        var truth = new List<float>();
        var prediction = new List<float>();
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var fields = CsvFields.Split(line) ?? throw new PredictionCsvException(name, lineNumber, null, "unclosed quote.");
            if (fields.Count != header.Count)
            {
                throw new PredictionCsvException(
                    name, lineNumber, null, $"{fields.Count} fields but the header has {header.Count}; every row needs one value per column.");
            }

            truth.Add(ParseValue(fields[truthIndex], name, lineNumber, TruthColumn));
            prediction.Add(ParseValue(fields[predictionIndex], name, lineNumber, PredictionColumn));
        }

        if (truth.Count == 0)
        {
            throw new PredictionCsvException(name, null, null, "no data rows after the header.");
        }

        return new PredictionSet(truth, prediction);
    }

    /// <summary>Writes a prediction file that <see cref="Read(string)"/> reads back bit-exactly.</summary>
    public static void Write(string path, IReadOnlyList<float> truth, IReadOnlyList<float> prediction)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(prediction);
        MetricInputs.RequireSameNonZeroLength(truth.Count, prediction.Count);
        using var writer = new StreamWriter(path);
        writer.WriteLine($"{TruthColumn},{PredictionColumn}");
        for (var i = 0; i < truth.Count; i++)
        {
            // "R" is the shortest text that parses back to the same float.
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{truth[i]:R},{prediction[i]:R}"));
        }
    }

    private static int ColumnIndex(List<string> header, string column, string name, int lineNumber)
    {
        var index = header.FindIndex(h => string.Equals(h.Trim(), column, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            throw new PredictionCsvException(
                name,
                lineNumber,
                column,
                $"missing from the header ({string.Join(",", header)}); the file needs columns '{TruthColumn}' and '{PredictionColumn}'.");
        }

        return index;
    }

    private static float ParseValue(string text, string name, int lineNumber, string column)
    {
        var trimmed = text.Trim();
        if (float.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        // Python's spellings of infinity, which .NET does not parse.
        switch (trimmed.ToUpperInvariant())
        {
            case "INF" or "+INF":
                return float.PositiveInfinity;
            case "-INF":
                return float.NegativeInfinity;
            default:
                throw new PredictionCsvException(
                    name, lineNumber, column, $"'{text}' is not a number; use invariant-culture numbers such as -1.25 or 3.");
        }
    }
}
