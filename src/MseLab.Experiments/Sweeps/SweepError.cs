namespace MseLab.Experiments.Sweeps;

/// <summary>One problem in a sweep file, at FILE:LINE:COLUMN, with a hint on how to fix it.</summary>
public sealed record SweepError(string File, int Line, int Column, string Message, string Hint)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message} ({Hint})";
}
