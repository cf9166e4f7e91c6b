namespace MseLab.Grains.Tests.Infrastructure;

/// <summary>Readable one-liners of grain state for failure messages.</summary>
internal static class Describe
{
    public static string Progress(SweepProgress progress) =>
        $"cancelled={progress.Cancelled} cells=[{string.Join(", ", progress.Cells.Select(c => $"{c.TrialKey[..14]}:{c.Status}#{c.Attempt}"))}]";
}
