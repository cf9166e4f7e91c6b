namespace MseLab.Datasets.Readers;

/// <summary>The three splits every dataset has, in the order the official loader builds its data loaders.</summary>
public static class DatasetSplits
{
    public const string Train = "train";

    public const string Valid = "valid";

    public const string Test = "test";

    /// <summary>train, valid, test.</summary>
    public static IReadOnlyList<string> All { get; } = [Train, Valid, Test];
}
