using System.Text;
using MseLab.Store.Records;

namespace MseLab.Reporting.Exports;

/// <summary>
/// Writes the leaderboard or the epochs as a file in one <see cref="ExportFormat"/>: the bytes <c>mselab results --out F</c>
/// writes are the bytes the API's download sends, because both come from here.
/// </summary>
public static class ResultFiles
{
    /// <summary>UTF-8 without a byte-order mark, as <see cref="File.WriteAllTextAsync(string, string?, CancellationToken)"/> writes.</summary>
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The MIME type of a format, for HTTP responses.</summary>
    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv",
        ExportFormat.Json => "application/json",
        ExportFormat.Parquet => "application/vnd.apache.parquet",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "An export is csv, json or parquet."),
    };

    /// <summary>The file extension of a format, without the dot.</summary>
    public static string Extension(ExportFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>The leaderboard: CSV and JSON exactly as <c>mselab results</c> prints them, Parquet with the CSV's columns typed.</summary>
    public static async Task WriteLeaderboardAsync(IReadOnlyList<LeaderboardGroup> groups, ExportFormat format, Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groups);
        switch (format)
        {
            case ExportFormat.Csv:
                await WriteTextAsync(LeaderboardText.Csv(groups), stream, cancellationToken);
                break;
            case ExportFormat.Json:
                await WriteTextAsync(LeaderboardText.JsonText(groups) + Environment.NewLine, stream, cancellationToken);
                break;
            default:
                await WriteAsync(LeaderboardTable.Build(groups), format, stream, cancellationToken);
                break;
        }
    }

    /// <summary>Every epoch row (one row per cell x epoch) in <paramref name="format"/>.</summary>
    public static Task WriteEpochsAsync(IReadOnlyList<EpochRow> rows, ExportFormat format, Stream stream, CancellationToken cancellationToken) =>
        WriteAsync(EpochTable.Build(rows), format, stream, cancellationToken);

    /// <summary>A typed table in <paramref name="format"/>.</summary>
    public static async Task WriteAsync(ExportTable table, ExportFormat format, Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        switch (format)
        {
            case ExportFormat.Csv:
                await WriteTextAsync(TextExport.Csv(table), stream, cancellationToken);
                break;
            case ExportFormat.Json:
                await WriteTextAsync(TextExport.Json(table) + Environment.NewLine, stream, cancellationToken);
                break;
            case ExportFormat.Parquet:
                await ParquetExport.WriteAsync(table, stream, cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "An export is csv, json or parquet.");
        }
    }

    private static async Task WriteTextAsync(string text, Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(Utf8.GetBytes(text), cancellationToken);
    }
}
