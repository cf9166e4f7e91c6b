namespace MseLab.Datasets.Readers;

/// <summary>
/// A dataset file that the official loader would read wrongly or crash on later: the message names the file, split, key
/// and sample index, what is wrong, and what to do.
/// </summary>
public sealed class DatasetReadException(string message) : DatasetFileException(message);
