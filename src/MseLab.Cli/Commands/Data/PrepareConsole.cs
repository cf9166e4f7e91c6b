using System.Globalization;
using MseLab.Datasets.Cache;

namespace MseLab.Cli.Commands.Data;

/// <summary>
/// Shows a preparation on standard error (standard output stays for the result, e.g. <c>data inspect --json</c>): its
/// notes as lines, and the bytes written every tenth of the way.
/// </summary>
internal sealed class PrepareConsole(string dataset) : IProgress<PrepareProgress>
{
    private int _lastTenth = -1;

    /// <summary>True once feature bytes were written: the dataset was prepared now, not found prepared.</summary>
    public bool Wrote { get; private set; }

    public void Report(PrepareProgress value)
    {
        if (value.Message is { } message)
        {
            Console.Error.WriteLine($"{dataset}: {message}");
            return;
        }

        if (value.BytesTotal <= 0)
        {
            return;
        }

        Wrote = true;
        var tenth = (int)(value.BytesDone * 10 / value.BytesTotal);
        if (tenth != _lastTenth)
        {
            _lastTenth = tenth;
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{dataset}: {tenth * 10,3}% of {value.BytesTotal / 1048576.0:F1} MB of features written ({value.Split})"));
        }
    }
}
