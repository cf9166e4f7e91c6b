namespace MseLab.Datasets;

/// <summary>
/// A dataset file that cannot be used as it is (unsafe, malformed, or not what the official loader expects). The message
/// names the file (and where it applies the split, key and sample index) and the fix. Bad input, not a fault of the
/// machine: running the same again fails the same way.
/// </summary>
public class DatasetFileException(string message) : IOException(message);
