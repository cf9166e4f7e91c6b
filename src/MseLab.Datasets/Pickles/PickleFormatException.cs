namespace MseLab.Datasets.Pickles;

/// <summary>A pickle that is truncated or malformed; the message names the file, the byte offset and what was expected.</summary>
public sealed class PickleFormatException(string file, long offset, string problem)
    : DatasetFileException($"{file}: not a readable pickle at byte {offset}: {problem}. The file may be truncated (an interrupted download or copy): fetch it again.")
{
    public string File { get; } = file;

    public long Offset { get; } = offset;
}
