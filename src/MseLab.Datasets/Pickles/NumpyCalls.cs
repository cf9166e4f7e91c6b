namespace MseLab.Datasets.Pickles;

/// <summary>
/// What calling an allowed global (REDUCE, NEWOBJ) and BUILD mean, written out for each of them: numpy's own
/// reconstruction rules (numpy/core/src/multiarray/methods.c <c>array_setstate</c>, descriptor.c <c>arraydescr_setstate</c>,
/// numeric.py <c>_frombuffer</c>), checked strictly, with nothing looked up by name.
/// </summary>
internal sealed class NumpyCalls(PickleErrors errors)
{
    private const long ArrayStateVersion = 1;

    public object Call(PickleGlobal global, object?[] args) => global.Kind switch
    {
        GlobalKind.Reconstruct => Reconstruct(global, args),
        GlobalKind.Dtype => Dtype(args),
        GlobalKind.Scalar => Scalar(args),
        GlobalKind.FromBuffer => FromBuffer(args),
        GlobalKind.CodecsEncode => Encode(args),
        _ => throw errors.Unsupported($"the pickle calls {global.Name}(...) directly; numpy pickles arrays through _reconstruct or _frombuffer"),
    };

    /// <summary>BUILD on an array from <c>_reconstruct</c>: <c>(version, shape, dtype, is_fortran, data)</c>.</summary>
    public NumpyArray BuildArray(object? state)
    {
        var tuple = errors.Expect<object?[]>(state, "an array state tuple (version, shape, dtype, is_fortran, data)");
        if (tuple.Length is not (4 or 5))
        {
            throw errors.Format($"an array state has {tuple.Length} items; numpy writes (version, shape, dtype, is_fortran, data)");
        }

        if (tuple.Length == 5 && tuple[0] is not ArrayStateVersion)
        {
            throw errors.Unsupported($"array state version {PickleValues.Describe(tuple[0])} (numpy writes {ArrayStateVersion})");
        }

        var at = tuple.Length - 4;
        var shape = Shape(tuple[at]);
        var dtype = DtypeValue(tuple[at + 1]);
        var fortran = Flag(tuple[at + 2], "is_fortran");
        var data = tuple[at + 3];
        var count = Count(shape);
        if (dtype.Kind == NumpyDtype.Object)
        {
            var objects = errors.Expect<List<object?>>(data, "the element list of an object array");
            return objects.Count == count
                ? new NumpyArray { Dtype = dtype, Shape = shape, Objects = objects }
                : throw errors.Format($"an object array of shape ({string.Join(", ", shape)}) lists {objects.Count} elements");
        }

        var bytes = data switch
        {
            PickleBytes b => b,
            string latin1 => new PickleBytes(Latin1(latin1)),
            _ => throw errors.Format($"expected the array's bytes, found {PickleValues.Describe(data)}"),
        };
        return NewArray(bytes, dtype, shape, fortran, count);
    }

    /// <summary>BUILD on a dtype: <c>(version, endian, subarray, names, fields, elsize, alignment, flags[, metadata])</c>.</summary>
    public NumpyDtype BuildDtype(PendingDtype pending, object? state)
    {
        var tuple = errors.Expect<object?[]>(state, "a dtype state tuple");
        if (tuple.Length is not (8 or 9) || tuple[0] is not (3L or 4L))
        {
            throw errors.Unsupported($"a dtype state with {tuple.Length} items (version {PickleValues.Describe(tuple[0])}); numpy 1.x and 2.x write version 3 or 4 with 8 or 9");
        }

        if (tuple[2] is not null || tuple[3] is not null || tuple[4] is not null)
        {
            throw errors.Unsupported($"dtype '{pending.TypeString}' is structured or has a subarray; dataset arrays have plain element types");
        }

        var endian = errors.Expect<string>(tuple[1], "a dtype byte order");
        var bigEndian = endian switch
        {
            ">" => true,
            "<" or "|" or "=" => false,
            _ => throw errors.Format($"'{endian}' is not a numpy byte order"),
        };
        var elsize = errors.Expect<long>(tuple[5], "a dtype element size");
        var dtype = pending.Dtype;
        if (dtype.Kind == NumpyDtype.Text && elsize >= 0)
        {
            dtype = elsize % 4 == 0 && elsize <= int.MaxValue
                ? dtype with { ItemSize = (int)elsize }
                : throw errors.Format($"a str dtype of {elsize} bytes (not whole UTF-32 characters)");
        }
        else if (elsize != -1 && elsize != dtype.ItemSize)
        {
            throw errors.Format($"dtype '{pending.TypeString}' says {elsize} bytes per element");
        }

        var ordered = dtype.Kind == NumpyDtype.Text || (dtype.Kind != NumpyDtype.Object && dtype.ItemSize > 1);
        return dtype with { BigEndian = ordered && bigEndian };
    }

    /// <summary><c>_reconstruct(ndarray, (0,), b'b')</c>: an empty array; the data comes with BUILD.</summary>
    private PendingArray Reconstruct(PickleGlobal global, object?[] args)
    {
        if (args.Length != 3)
        {
            throw errors.Format($"{global.Name} takes (class, shape, typecode), got {args.Length} arguments");
        }

        return args[0] is PickleGlobal { Kind: GlobalKind.NdArray }
            ? new PendingArray()
            : throw errors.Unsupported($"{global.Name} of {PickleValues.Describe(args[0])}: only plain numpy.ndarray is read");
    }

    /// <summary><c>numpy.dtype('f4', False, True)</c>: the type string; byte order and text size come with BUILD.</summary>
    private PendingDtype Dtype(object?[] args)
    {
        if (args.Length is < 1 or > 3)
        {
            throw errors.Format($"numpy.dtype takes (typestring, align, copy), got {args.Length} arguments");
        }

        var typeString = errors.Expect<string>(args[0], "a numpy type string such as 'f4'");
        return NumpyDtype.Parse(typeString, out var refusal) is { } dtype
            ? new PendingDtype(dtype, typeString)
            : throw errors.Unsupported(refusal!);
    }

    /// <summary><c>scalar(dtype, bytes)</c>: one value, e.g. an <c>np.int64</c>.</summary>
    private NumpyScalar Scalar(object?[] args)
    {
        if (args.Length != 2)
        {
            throw errors.Unsupported($"a numpy scalar with {args.Length} arguments (an object scalar?); dataset scalars are numbers or str");
        }

        var dtype = DtypeValue(args[0]);
        if (dtype.Kind == NumpyDtype.Object)
        {
            throw errors.Unsupported("a numpy object scalar; dataset scalars are numbers or str");
        }

        var bytes = args[1] switch
        {
            PickleBytes b => b.ToArray(),
            string latin1 => Latin1(latin1),
            var other => throw errors.Format($"expected the scalar's bytes, found {PickleValues.Describe(other)}"),
        };
        return bytes.Length == dtype.ItemSize
            ? new NumpyScalar { Dtype = dtype, Bytes = bytes }
            : throw errors.Format($"a {dtype} scalar has {bytes.Length} bytes, not {dtype.ItemSize}");
    }

    /// <summary><c>_frombuffer(buffer, dtype, shape, order)</c> (protocol 5): the buffer is the data, in that order.</summary>
    private NumpyArray FromBuffer(object?[] args)
    {
        if (args.Length != 4)
        {
            throw errors.Format($"_frombuffer takes (buffer, dtype, shape, order), got {args.Length} arguments");
        }

        var bytes = errors.Expect<PickleBytes>(args[0], "the array's buffer");
        var dtype = DtypeValue(args[1]);
        var shape = Shape(args[2]);
        var order = errors.Expect<string>(args[3], "the order 'C' or 'F'");
        var fortran = order switch
        {
            "C" => false,
            "F" => true,
            _ => throw errors.Format($"'{order}' is not a memory order (numpy writes 'C' or 'F')"),
        };
        return dtype.Kind == NumpyDtype.Object
            ? throw errors.Format("_frombuffer of an object dtype (numpy pickles object arrays through _reconstruct)")
            : NewArray(bytes, dtype, shape, fortran, Count(shape));
    }

    /// <summary><c>_codecs.encode(str, 'latin1')</c>: protocols 0-2 write bytes as a latin-1 str.</summary>
    private PickleBytes Encode(object?[] args)
    {
        if (args.Length != 2 || args[1] is not string encoding)
        {
            throw errors.Unsupported("_codecs.encode without an explicit encoding; pickle writes bytes as (str, 'latin1')");
        }

        if (!encoding.Equals("latin1", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("latin-1", StringComparison.OrdinalIgnoreCase)
            && !encoding.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase))
        {
            throw errors.Unsupported($"_codecs.encode to '{encoding}'; pickle writes bytes with 'latin1'");
        }

        return new PickleBytes(Latin1(errors.Expect<string>(args[0], "the str that _codecs.encode turns into bytes")));
    }

    private NumpyArray NewArray(PickleBytes bytes, NumpyDtype dtype, long[] shape, bool fortran, long count)
    {
        long expected;
        try
        {
            expected = checked(count * dtype.ItemSize);
        }
        catch (OverflowException)
        {
            throw errors.Format($"an array of shape ({string.Join(", ", shape)}) is too large");
        }

        return bytes.Length == expected
            ? new NumpyArray { Dtype = dtype, Shape = shape, FortranOrder = fortran, Data = bytes }
            : throw errors.Format($"a {dtype} array of shape ({string.Join(", ", shape)}) needs {expected} bytes, the pickle holds {bytes.Length}");
    }

    private NumpyDtype DtypeValue(object? value) => value switch
    {
        NumpyDtype dtype => dtype,
        PendingDtype pending => pending.Dtype,
        _ => throw errors.Format($"expected a numpy dtype, found {PickleValues.Describe(value)}"),
    };

    private long[] Shape(object? value)
    {
        var tuple = errors.Expect<object?[]>(value, "an array shape tuple");
        var shape = new long[tuple.Length];
        for (var i = 0; i < tuple.Length; i++)
        {
            shape[i] = tuple[i] is long dim and >= 0 ? dim : throw errors.Format($"an array dimension is {PickleValues.Describe(tuple[i])}");
        }

        return shape;
    }

    private long Count(long[] shape)
    {
        try
        {
            return shape.Aggregate(1L, (product, dim) => checked(product * dim));
        }
        catch (OverflowException)
        {
            throw errors.Format($"an array of shape ({string.Join(", ", shape)}) is too large");
        }
    }

    private bool Flag(object? value, string what) => value switch
    {
        bool b => b,
        long l => l != 0,
        _ => throw errors.Format($"expected {what} as a bool, found {PickleValues.Describe(value)}"),
    };

    private byte[] Latin1(string text)
    {
        var bytes = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            bytes[i] = text[i] <= 0xFF ? (byte)text[i] : throw errors.Format($"bytes written as a latin-1 str hold the character U+{(int)text[i]:X4}");
        }

        return bytes;
    }
}
