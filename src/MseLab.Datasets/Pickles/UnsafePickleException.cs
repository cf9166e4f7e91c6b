namespace MseLab.Datasets.Pickles;

/// <summary>A pickle names a global outside the allow-list (e.g. <c>posix.system</c>); it was refused before anything ran.</summary>
public sealed class UnsafePickleException(string file, string global, long offset)
    : DatasetFileException($"{file}: refused to unpickle: it names the global '{global}' (at byte {offset}), which a dataset file never needs; nothing from it was run. Allowed: numpy arrays, dtypes and scalars. If the file came from somewhere you do not trust, delete it.")
{
    public string File { get; } = file;

    public string Global { get; } = global;
}
