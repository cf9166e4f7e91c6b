namespace MseLab.Experiments.Sweeps;

/// <summary>A path a sweep file names: as written, as resolved against the file's folder, and where it stands.</summary>
/// <param name="Key">The key it stands under: <see cref="Backbones"/> or <see cref="DataRoot"/>.</param>
/// <param name="Text">The path as written in the file (<c>..</c> segments kept).</param>
/// <param name="FullPath">The absolute path it resolves to.</param>
/// <param name="Location">FILE:LINE:COLUMN of the value.</param>
public sealed record SweepPath(string Key, string Text, string FullPath, string Location)
{
    /// <summary>The key of backbone folders.</summary>
    public const string Backbones = "backbones";

    /// <summary>The key of the stored datasets' root.</summary>
    public const string DataRoot = "data_root";
}
