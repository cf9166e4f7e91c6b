using System.Buffers;
using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace MseLab.Datasets.Pickles;

/// <summary>
/// The raw bytes of elements [start, start + count) of an array with byte data, in C (row-major) order, one chunk at a
/// time. C-order data is read straight from memory or from the file (one open handle, no copy of the whole array).
/// Fortran-order data is gathered element by element: from pinned memory, or through a read-only memory map of the file
/// segment, so a large file-backed Fortran array is not copied either.
/// </summary>
internal sealed unsafe class RawElementReader : IDisposable
{
    private readonly PickleBytes _data;
    private readonly int _size;
    private readonly long _end;
    private long _next;

    private readonly SafeFileHandle? _handle;
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private MemoryHandle _pin;
    private readonly byte* _base;

    // Fortran iteration: the C multi-index of the next element, and its element offset in the Fortran layout.
    private readonly long[]? _dims;
    private readonly long[]? _strides;
    private readonly long[]? _index;
    private long _offset;

    public RawElementReader(NumpyArray array, long start, long count)
    {
        _data = array.Data ?? throw new InvalidOperationException("an object array has no byte data");
        _size = array.Dtype.ItemSize;
        _next = start;
        _end = start + count;
        if (count == 0)
        {
            return;
        }

        if (!array.StoredAsFortran)
        {
            if (!_data.InMemory)
            {
                _handle = _data.OpenFile();
            }

            return;
        }

        _dims = [.. array.Shape];
        _strides = new long[_dims.Length];
        _index = new long[_dims.Length];
        var stride = 1L;
        for (var k = 0; k < _dims.Length; k++)
        {
            _strides[k] = stride;
            stride *= _dims[k];
        }

        var rest = start;
        for (var k = _dims.Length - 1; k >= 0; k--)
        {
            _index[k] = rest % _dims[k];
            rest /= _dims[k];
            _offset += _index[k] * _strides[k];
        }

        if (_data.InMemory)
        {
            _pin = _data.Memory.Pin();
            _base = (byte*)_pin.Pointer;
        }
        else
        {
            _map = MemoryMappedFile.CreateFromFile(_data.FilePath!, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
            _view = _map.CreateViewAccessor(_data.FileOffset, _data.Length, MemoryMappedFileAccess.Read);
            byte* mapped = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref mapped);
            _base = mapped + _view.PointerOffset;
        }
    }

    /// <summary>How many elements a chunk of <paramref name="bytes"/> bytes holds (at least one).</summary>
    public int ElementsPer(int bytes) => Math.Max(1, bytes / Math.Max(1, _size));

    /// <summary>Fills <paramref name="chunk"/> with the next elements' bytes; returns how many elements (0 at the end).</summary>
    public int Next(Span<byte> chunk)
    {
        var count = (int)Math.Min(_end - _next, chunk.Length / Math.Max(1, _size));
        if (count <= 0)
        {
            return 0;
        }

        var bytes = chunk[..(count * _size)];
        if (_index is null)
        {
            if (_handle is null)
            {
                _data.Memory.Span.Slice((int)(_next * _size), bytes.Length).CopyTo(bytes);
            }
            else
            {
                _data.ReadFile(_handle, _next * _size, bytes);
            }
        }
        else
        {
            Gather(bytes, count);
        }

        _next += count;
        return count;
    }

    public void Dispose()
    {
        _handle?.Dispose();
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }

        _map?.Dispose();
        _pin.Dispose();
    }

    private void Gather(Span<byte> bytes, int count)
    {
        var dims = _dims!;
        var strides = _strides!;
        var index = _index!;
        for (var i = 0; i < count; i++)
        {
            new ReadOnlySpan<byte>(_base + (_offset * _size), _size).CopyTo(bytes.Slice(i * _size, _size));

            // Next C-order multi-index: the last axis moves fastest; carry into the axes before it.
            for (var k = dims.Length - 1; k >= 0; k--)
            {
                index[k]++;
                _offset += strides[k];
                if (index[k] < dims[k])
                {
                    break;
                }

                _offset -= dims[k] * strides[k];
                index[k] = 0;
            }
        }
    }
}
