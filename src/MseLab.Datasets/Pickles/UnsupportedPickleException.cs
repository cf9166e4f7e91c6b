namespace MseLab.Datasets.Pickles;

/// <summary>
/// A well-formed pickle that holds something a dataset file never needs (a complex or datetime dtype, out-of-band
/// buffers, persistent ids, a structured dtype, …). Nothing from it was run; the message names the file, the byte offset
/// and how to re-save the data so it can be read.
/// </summary>
public sealed class UnsupportedPickleException(string file, long offset, string problem)
    : DatasetFileException($"{file}: cannot read the pickle at byte {offset}: {problem}.")
{
    public string File { get; } = file;

    public long Offset { get; } = offset;
}
