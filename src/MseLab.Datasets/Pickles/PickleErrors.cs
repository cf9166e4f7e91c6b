namespace MseLab.Datasets.Pickles;

/// <summary>The unpickler's errors, each naming the file and the offset of the opcode being read.</summary>
internal sealed class PickleErrors(PickleReader input)
{
    public string Path => input.Path;

    public PickleFormatException Format(string problem) => new(input.Path, input.OpcodeStart, problem);

    public UnsupportedPickleException Unsupported(string problem) => new(input.Path, input.OpcodeStart, problem);

    public UnsafePickleException Unsafe(string global) => new(input.Path, global, input.OpcodeStart);

    /// <summary><paramref name="value"/> as a <typeparamref name="T"/>, or a format error naming what was expected.</summary>
    public T Expect<T>(object? value, string what) => value is T typed
        ? typed
        : throw Format($"expected {what}, found {PickleValues.Describe(value)}");
}
