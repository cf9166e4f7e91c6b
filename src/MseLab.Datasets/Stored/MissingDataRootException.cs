namespace MseLab.Datasets.Stored;

/// <summary>Stored datasets are named, and nothing says where their files are. The message lists the ways to say it.</summary>
public sealed class MissingDataRootException : InvalidOperationException
{
    public MissingDataRootException()
        : this("No data root is given.")
    {
    }

    public MissingDataRootException(string message)
        : base(message)
    {
    }

    public MissingDataRootException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The error for <paramref name="datasets"/> (names) in <paramref name="sweepFile"/> (null for a single trial).</summary>
    public static MissingDataRootException For(IEnumerable<string> datasets, string? sweepFile) =>
        new($"{string.Join(", ", datasets)}: stored data, and no data root says where its files are. Pass {DataRoot.Option} DIR, "
            + (sweepFile is null ? "" : $"write 'data_root: DIR' in {sweepFile}, ")
            + $"or set {DataRoot.EnvironmentVariable}=DIR; DIR holds the official layout (e.g. MOSEI/Processed/unaligned_50.pkl, MELD/meld_train.pkl).");
}
