using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Models.Checkpoints;

/// <summary>
/// Reads single tensors of a .safetensors file at their header offsets. A tensor whose dtype is the target's and
/// whose target is a contiguous CPU tensor is read straight into it; otherwise through one staging tensor of its own
/// size (so the extra memory is at most the largest tensor), converted by <c>copy_</c>.
/// </summary>
internal sealed class SafetensorsStream(string path) : IDisposable
{
    // Spans cap at 2 GiB; read large tensors in slices of this many bytes.
    private const long SliceBytes = 1L << 30;

    private readonly FileStream _stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
    private readonly long _dataStart = DataStart(path);

    public string Path { get; } = path;

    public void ReadInto(SafetensorsEntry entry, Tensor target)
    {
        var sourceType = ScalarTypeOf(entry.DType);
        _stream.Position = _dataStart + entry.Begin;
        if (target.dtype == sourceType && target.device_type == DeviceType.CPU && target.is_contiguous())
        {
            ReadRaw(target);
            return;
        }

        using var staging = empty(entry.Shape, sourceType);
        ReadRaw(staging);
        target.copy_(staging);
    }

    public void Dispose() => _stream.Dispose();

    private void ReadRaw(Tensor target)
    {
        using var flat = target.view(-1);
        var perSlice = Math.Max(1, SliceBytes / flat.ElementSize);
        for (long start = 0; start < flat.numel(); start += perSlice)
        {
            using var slice = flat.narrow(0, start, Math.Min(perSlice, flat.numel() - start));
            _stream.ReadExactly(slice.bytes);
        }
    }

    private static long DataStart(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> length = stackalloc byte[8];
        stream.ReadExactly(length);
        return 8 + BitConverter.ToInt64(length);
    }

    private static ScalarType ScalarTypeOf(string dtype) => dtype switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"dtype '{dtype}' is not supported"),
    };
}
