namespace MseLab.Datasets.Readers;

/// <summary>Where a reader is in a dataset (file and split), so that every error names the file, split, key and sample.</summary>
internal sealed record ReadPlace(string File, string Split)
{
    /// <summary>The fix when a file is not what the official loader reads: the data as published.</summary>
    public const string OfficialFiles = "Use the dataset's official processed files";

    /// <summary>An error at <paramref name="key"/> (and sample <paramref name="index"/> when given): what is wrong, then the fix.</summary>
    public DatasetReadException Error(string key, long? index, string problem, string fix)
    {
        var sample = index is { } i ? $", sample {i}" : "";
        return new DatasetReadException($"{File}: split '{Split}', key '{key}'{sample}: {problem}. {Sentence(fix)}");
    }

    /// <summary>An error about the split as a whole (its container or its set of keys).</summary>
    public DatasetReadException SplitError(string problem, string fix) =>
        new($"{File}: split '{Split}': {problem}. {Sentence(fix)}");

    private static string Sentence(string text) => text.EndsWith('.') ? text : text + ".";
}
