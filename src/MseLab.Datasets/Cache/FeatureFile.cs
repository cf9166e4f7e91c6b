using System.IO.MemoryMappedFiles;

namespace MseLab.Datasets.Cache;

/// <summary>
/// One modality of one prepared split: a raw little-endian float32 file (N x T x d, C order) mapped read-only, one view for
/// the whole file. Samples come out as <see cref="ReadOnlyMemory{T}"/> slices of that view, never copies.
/// </summary>
internal sealed unsafe class FeatureFile : IDisposable
{
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly Memory<float>[] _segments;
    private readonly int _samplesPerSegment;
    private bool _disposed;

    private FeatureFile(int count, int sampleLength, MemoryMappedFile? file, MemoryMappedViewAccessor? view, byte* pointer)
    {
        Count = count;
        SampleLength = sampleLength;
        _file = file;
        _view = view;

        // Memory<float> is indexed by int, so a file of more than 2^31 floats is covered by several managers, each a whole
        // number of samples: a sample never straddles two of them.
        _samplesPerSegment = sampleLength == 0 ? Math.Max(count, 1) : Math.Max(1, Math.Min(count, int.MaxValue / sampleLength));
        var segments = count == 0 ? 0 : (count + _samplesPerSegment - 1) / _samplesPerSegment;
        _segments = new Memory<float>[segments];
        for (var s = 0; s < segments; s++)
        {
            var samples = Math.Min(_samplesPerSegment, count - (s * _samplesPerSegment));
            var start = (float*)pointer + ((long)s * _samplesPerSegment * sampleLength);
            _segments[s] = new MappedFloats(start, samples * sampleLength).Memory;
        }
    }

    public int Count { get; }

    /// <summary>T x d: floats per sample.</summary>
    public int SampleLength { get; }

    /// <summary>
    /// Maps <paramref name="path"/>, which must hold exactly <paramref name="count"/> x <paramref name="sampleLength"/>
    /// floats; a file of any other size is a damaged cache (<see cref="CorruptCacheException"/>).
    /// </summary>
    public static FeatureFile Map(string path, int count, int sampleLength)
    {
        var expected = (long)count * sampleLength * sizeof(float);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new CorruptCacheException($"{path} is missing");
        }

        if (info.Length != expected)
        {
            throw new CorruptCacheException($"{path} has {info.Length} bytes, not {count} x {sampleLength} floats = {expected}");
        }

        if (expected == 0)
        {
            return new FeatureFile(count, sampleLength, null, null, null);   // an empty file cannot be mapped
        }

        // FileShare.Delete: a preparer may replace a damaged folder while this process still reads the old files.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1);
        MemoryMappedFile? file = null;
        MemoryMappedViewAccessor? view = null;
        try
        {
            file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new FeatureFile(count, sampleLength, file, view, pointer + view.PointerOffset);
        }
        catch
        {
            view?.Dispose();
            if (file is null)
            {
                stream.Dispose();
            }
            else
            {
                file.Dispose();
            }

            throw;
        }
    }

    /// <summary>Sample <paramref name="index"/>: T x d floats, row-major, a view into the mapping.</summary>
    public ReadOnlyMemory<float> Sample(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var segment = index / _samplesPerSegment;
        return _segments[segment].Slice((index - (segment * _samplesPerSegment)) * SampleLength, SampleLength);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }

        _file?.Dispose();
    }
}
