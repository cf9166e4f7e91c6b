using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using static MseLab.Datasets.Pickles.PickleOpcodes;

namespace MseLab.Datasets.Pickles;

/// <summary>
/// The pickle virtual machine (CPython's Lib/pickle.py <c>_Unpickler</c>, same stack, mark and memo rules) with every
/// opcode that could run code either refused or confined to <see cref="PickleGlobal"/>'s allow-list. A global is
/// checked when GLOBAL or STACK_GLOBAL is read, before any argument of its call is.
/// </summary>
internal sealed class PickleMachine(PickleReader input, long inMemoryLimit)
{
    // Protocol-0 text arguments (numbers, global names) are short; this bounds what garbage can make us buffer.
    private const int MaxTextLine = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<long, object?> _memo = [];
    private readonly PickleErrors _errors = new(input);
    private readonly NumpyCalls _numpy = new(new PickleErrors(input));

    public object? Run()
    {
        while (true)
        {
            input.OpcodeStart = input.Position;
            input.Opcode = "the next opcode";
            if (input.AtEnd)
            {
                throw _errors.Format("the file ends before the pickle's STOP opcode");
            }

            var code = input.ReadByte();
            input.Opcode = PickleOpcodes.Name(code);
            if (code == Stop)
            {
                var result = PopValue();
                ResultCheck.Check(result, _errors);
                return result;
            }

            Step(code);
        }
    }

    private void Step(byte code)
    {
        switch (code)
        {
            case Proto:
                var protocol = input.ReadByte();
                if (protocol > HighestProtocol)
                {
                    throw _errors.Unsupported($"pickle protocol {protocol} is newer than {HighestProtocol}, the highest Python writes");
                }

                break;
            case Frame:
                // Frames only group opcodes for buffering; reading opcode by opcode makes them transparent.
                ReadUInt64();
                break;
            case Mark:
                _marks.Add(_stack.Count);
                break;
            case Pop:
                if (_stack.Count > MarkBase)
                {
                    _stack.RemoveAt(_stack.Count - 1);
                }
                else
                {
                    PopToMark();
                }

                break;
            case PopMark:
                PopToMark();
                break;
            case Dup:
                Push(Top());
                break;

            case None:
                Push(null);
                break;
            case NewTrue:
                Push(true);
                break;
            case NewFalse:
                Push(false);
                break;
            case Int:
                PushTextInt(Text());
                break;
            case Long:
                PushInteger(TextLong(Text()));
                break;
            case BinInt:
                Push((long)BinaryPrimitives.ReadInt32LittleEndian(Read(4)));
                break;
            case BinInt1:
                Push((long)input.ReadByte());
                break;
            case BinInt2:
                Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Read(2)));
                break;
            case Long1:
                PushInteger(new BigInteger(Read(input.ReadByte()), isUnsigned: false, isBigEndian: false));
                break;
            case Long4:
                var longLength = BinaryPrimitives.ReadInt32LittleEndian(Read(4));
                PushInteger(longLength >= 0
                    ? new BigInteger(Read(longLength), isUnsigned: false, isBigEndian: false)
                    : throw _errors.Format($"LONG4 has a negative length {longLength}"));
                break;
            case Float:
                Push(TextFloat(Text()));
                break;
            case BinFloat:
                Push(BinaryPrimitives.ReadDoubleBigEndian(Read(8)));
                break;

            case ShortBinUnicode:
                Push(Utf8(input.ReadByte()));
                break;
            case BinUnicode:
                Push(Utf8(ReadUInt32()));
                break;
            case BinUnicode8:
                Push(Utf8(ReadUInt64()));
                break;
            case Unicode:
                Push(RawUnicodeEscape(input.ReadLine(int.MaxValue - 1)));
                break;
            case ShortBinString:
                Push(Ascii(Read(input.ReadByte())));
                break;
            case BinString:
                var stringLength = BinaryPrimitives.ReadInt32LittleEndian(Read(4));
                Push(stringLength >= 0 ? Ascii(Read(stringLength)) : throw _errors.Format($"BINSTRING has a negative length {stringLength}"));
                break;
            case PickleOpcodes.String:
                Push(QuotedAscii(Text()));
                break;
            case ShortBinBytes:
                Push(Bytes(input.ReadByte()));
                break;
            case BinBytes:
                Push(Bytes(ReadUInt32()));
                break;
            case BinBytes8:
            case ByteArray8:
                Push(Bytes(ReadUInt64()));
                break;

            case EmptyTuple:
                Push(Array.Empty<object?>());
                break;
            case PickleOpcodes.Tuple:
                Push(PopToMark().ToArray());
                break;
            case Tuple1:
                Push(new[] { PopValue() });
                break;
            case Tuple2:
                var second = PopValue();
                Push(new[] { PopValue(), second });
                break;
            case Tuple3:
                var third = PopValue();
                var middle = PopValue();
                Push(new[] { PopValue(), middle, third });
                break;
            case EmptyList:
                Push(new List<object?>());
                break;
            case PickleOpcodes.List:
                Push(PopToMark());
                break;
            case Append:
                var item = PopValue();
                TopAs<List<object?>>("APPEND's list").Add(item);
                break;
            case Appends:
                var items = PopToMark();
                TopAs<List<object?>>("APPENDS's list").AddRange(items);
                break;
            case EmptyDict:
                Push(NewDict());
                break;
            case Dict:
                var dict = NewDict();
                AddPairs(dict, PopToMark());
                Push(dict);
                break;
            case SetItem:
                var value = PopValue();
                var key = PopValue();
                SetKey(TopAs<Dictionary<object, object?>>("SETITEM's dict"), key, value);
                break;
            case SetItems:
                var pairs = PopToMark();
                AddPairs(TopAs<Dictionary<object, object?>>("SETITEMS's dict"), pairs);
                break;
            case EmptySet:
                Push(new HashSet<object?>(PickleKeyComparer.Instance));
                break;
            case AddItems:
                var elements = PopToMark();
                AddElements(TopAs<HashSet<object?>>("ADDITEMS's set"), elements);
                break;
            case FrozenSet:
                var frozen = new HashSet<object?>(PickleKeyComparer.Instance);
                AddElements(frozen, PopToMark());
                Push(frozen);
                break;

            case Put:
                Store(TextIndex(Text()));
                break;
            case BinPut:
                Store(input.ReadByte());
                break;
            case LongBinPut:
                Store(ReadUInt32());
                break;
            case Memoize:
                Store(_memo.Count);
                break;
            case Get:
                Fetch(TextIndex(Text()));
                break;
            case BinGet:
                Fetch(input.ReadByte());
                break;
            case LongBinGet:
                Fetch(ReadUInt32());
                break;

            case PickleOpcodes.Global:
                var module = Utf8Line();
                Push(Allowed(module, Utf8Line()));
                break;
            case StackGlobal:
                var name = _errors.Expect<string>(PopValue(), "STACK_GLOBAL's name (a str)");
                Push(Allowed(_errors.Expect<string>(PopValue(), "STACK_GLOBAL's module (a str)"), name));
                break;
            case Reduce:
                var args = _errors.Expect<object?[]>(PopValue(), "REDUCE's argument tuple");
                Push(Call(PopValue(), args, "REDUCE"));
                break;
            case NewObj:
                var newArgs = _errors.Expect<object?[]>(PopValue(), "NEWOBJ's argument tuple");
                Push(New(PopValue(), newArgs));
                break;
            case NewObjEx:
                var kwargs = _errors.Expect<Dictionary<object, object?>>(PopValue(), "NEWOBJ_EX's keyword arguments");
                var exArgs = _errors.Expect<object?[]>(PopValue(), "NEWOBJ_EX's argument tuple");
                Push(kwargs.Count == 0
                    ? New(PopValue(), exArgs)
                    : throw _errors.Unsupported("NEWOBJ_EX with keyword arguments; numpy values need none"));
                break;
            case Build:
                BuildTop(PopValue());
                break;

            case Inst:
                var instModule = Utf8Line();
                Allowed(instModule, Utf8Line());
                throw _errors.Unsupported("the INST opcode (a protocol-0 class instance); numpy pickles arrays with REDUCE");
            case Obj:
                throw _errors.Unsupported("the OBJ opcode (a protocol-1 class instance); numpy pickles arrays with REDUCE");
            case PersId:
            case BinPersId:
                throw _errors.Unsupported("a persistent id (PERSID), which needs the writer's own persistent_load; dataset files hold plain values. Re-save the data with pickle.dump alone");
            case Ext1:
            case Ext2:
            case Ext4:
                throw _errors.Unsupported("an extension code (EXT1/2/4 from copyreg.add_extension), which names a global indirectly; dataset files never use them");
            case NextBuffer:
            case ReadOnlyBuffer:
                throw _errors.Unsupported("an out-of-band buffer (protocol 5 with buffer_callback); the data is not in the file. Re-save it with pickle.dump(obj, f, protocol=5) without buffer_callback");
            default:
                throw _errors.Format($"byte 0x{code:x2} is not a pickle opcode");
        }
    }

    private int MarkBase => _marks.Count > 0 ? _marks[^1] : 0;

    private void Push(object? value) => _stack.Add(value);

    private object? PopValue()
    {
        if (_stack.Count <= MarkBase)
        {
            throw _errors.Format(_marks.Count > 0 ? "nothing on the stack above the last MARK" : "the stack is empty");
        }

        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Top() => _stack.Count > MarkBase ? _stack[^1] : throw _errors.Format("the stack is empty");

    private T TopAs<T>(string what) => _errors.Expect<T>(Top(), what);

    /// <summary>The items above the last MARK, which is removed with them.</summary>
    private List<object?> PopToMark()
    {
        if (_marks.Count == 0)
        {
            throw _errors.Format("no MARK to close");
        }

        var start = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private void Store(long key)
    {
        var value = Top();
        _memo[key] = value;
        if (value is PendingValue pending)
        {
            pending.MemoKeys.Add(key);
        }
    }

    private void Fetch(long key) =>
        Push(_memo.TryGetValue(key, out var value) ? value : throw _errors.Format($"memo entry {key} is read before it was stored"));

    private PickleGlobal Allowed(string module, string name) =>
        PickleGlobal.Find(module, name) ?? throw _errors.Unsafe($"{module}.{name}");

    private object Call(object? callable, object?[] args, string opcode) => callable is PickleGlobal global
        ? _numpy.Call(global, args)
        : throw _errors.Format($"{opcode} calls {PickleValues.Describe(callable)}, which is not callable");

    private object New(object? cls, object?[] args) => cls switch
    {
        PickleGlobal { Kind: GlobalKind.Dtype } dtype => _numpy.Call(dtype, args),
        PickleGlobal other => throw _errors.Unsupported($"{other.Name}.__new__ (NEWOBJ); numpy pickles arrays with REDUCE"),
        _ => throw _errors.Format($"NEWOBJ on {PickleValues.Describe(cls)}, which is not a class"),
    };

    private void BuildTop(object? state)
    {
        var target = Top();
        object built = target switch
        {
            PendingArray => _numpy.BuildArray(state),
            PendingDtype dtype => _numpy.BuildDtype(dtype, state),
            _ => throw _errors.Format($"BUILD on {PickleValues.Describe(target)}; only numpy arrays and dtypes take a state here"),
        };

        // Replace the placeholder wherever it already is: the stack (DUP) and the memo (MEMOIZE right after REDUCE).
        var pending = (PendingValue)target!;
        for (var i = 0; i < _stack.Count; i++)
        {
            if (ReferenceEquals(_stack[i], pending))
            {
                _stack[i] = built;
            }
        }

        foreach (var key in pending.MemoKeys)
        {
            if (ReferenceEquals(_memo[key], pending))
            {
                _memo[key] = built;
            }
        }
    }

    private static Dictionary<object, object?> NewDict() => new(PickleKeyComparer.Instance);

    private void AddPairs(Dictionary<object, object?> dict, List<object?> items)
    {
        if (items.Count % 2 != 0)
        {
            throw _errors.Format($"{items.Count} items for a dict (keys and values must pair up)");
        }

        for (var i = 0; i < items.Count; i += 2)
        {
            SetKey(dict, items[i], items[i + 1]);
        }
    }

    private void SetKey(Dictionary<object, object?> dict, object? key, object? value) => dict[Hashable(key)
        ?? throw _errors.Unsupported("a dict with the key None; dataset dicts are keyed by str or int")] = value;

    private void AddElements(HashSet<object?> set, List<object?> items)
    {
        foreach (var item in items)
        {
            set.Add(Hashable(item));
        }
    }

    private object? Hashable(object? key) => key is List<object?> or Dictionary<object, object?> or HashSet<object?> or NumpyArray or PendingValue
        ? throw _errors.Format($"{PickleValues.Describe(key)} used as a dict key or set element (it is unhashable)")
        : key;

    private ReadOnlySpan<byte> Read(int count) => input.ReadBytes(count);

    private long ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Read(4));

    private long ReadUInt64()
    {
        var value = BinaryPrimitives.ReadUInt64LittleEndian(Read(8));
        return value <= long.MaxValue ? (long)value : throw input.Truncated($"{value} bytes");
    }

    /// <summary>A bytes or bytearray value: in memory when small, a file segment (skipped, not read) when large.</summary>
    private PickleBytes Bytes(long length)
    {
        input.Require(length);
        if (length < inMemoryLimit)
        {
            return new PickleBytes(input.ReadBytes((int)length));
        }

        var segment = new PickleBytes(input.Path, input.Position, length);
        input.Skip(length);
        return segment;
    }

    private string Utf8(long length)
    {
        input.Require(length);
        if (length > Array.MaxLength)
        {
            throw _errors.Unsupported($"a str of {length} bytes (more than one .NET string holds)");
        }

        return Decode(input.ReadBytes((int)length));
    }

    private string Utf8Line() => Decode(input.ReadLine(MaxTextLine));

    /// <summary>A protocol-0 numeric or index argument.</summary>
    private string Text()
    {
        var line = input.ReadLine(MaxTextLine);
        return Array.TrueForAll(line, b => b <= 0x7F)
            ? Encoding.ASCII.GetString(line)
            : throw _errors.Format($"{input.Opcode}'s text argument is not ASCII");
    }

    /// <summary>Python 3 reads protocol-0/1 byte strings (Python 2 str) as ASCII by default.</summary>
    private string Ascii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b > 0x7F)
            {
                throw _errors.Unsupported("a Python 2 byte string with non-ASCII bytes (Python 3 refuses it too without encoding=)");
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }

    private string QuotedAscii(string text)
    {
        if (text.Length >= 2 && text[0] == text[^1] && text[0] is '\'' or '"' && !text.Contains('\\', StringComparison.Ordinal))
        {
            return text[1..^1];
        }

        throw _errors.Unsupported("a Python 2 string with escapes (STRING); re-save with protocol 2 or newer");
    }

    private string Decode(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw _errors.Format("a str that is not valid UTF-8");
        }
    }

    /// <summary>Protocol 0's str: latin-1 bytes with <c>\uXXXX</c> and <c>\UXXXXXXXX</c> escapes (pickle escapes every backslash).</summary>
    private string RawUnicodeEscape(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            var digits = bytes[i] == '\\' && i + 1 < bytes.Length ? bytes[i + 1] switch { (byte)'u' => 4, (byte)'U' => 8, _ => 0 } : 0;
            if (digits == 0)
            {
                text.Append((char)bytes[i]);
                continue;
            }

            if (i + 2 + digits > bytes.Length
                || !int.TryParse(Encoding.ASCII.GetString(bytes, i + 2, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var point)
                || point is < 0 or > 0x10FFFF)
            {
                throw _errors.Format("a malformed \\u escape in a protocol-0 str");
            }

            text.Append(point <= 0xFFFF ? ((char)point).ToString() : char.ConvertFromUtf32(point));
            i += 1 + digits;
        }

        return text.ToString();
    }

    /// <summary>Protocol 0 writes True and False as INT 01 and 00.</summary>
    private void PushTextInt(string text)
    {
        switch (text)
        {
            case "00":
                Push(false);
                break;
            case "01":
                Push(true);
                break;
            default:
                PushInteger(TextLong(text));
                break;
        }
    }

    private BigInteger TextLong(string text) =>
        BigInteger.TryParse(text.TrimEnd('L'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw _errors.Format($"'{text}' is not an integer");

    private long TextIndex(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw _errors.Format($"'{text}' is not a memo index");

    private double TextFloat(string text) => text switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" => double.NaN,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        _ => throw _errors.Format($"'{text}' is not a float"),
    };

    /// <summary>Python's int as long when it fits, else BigInteger (the mapping SafeUnpickler documents).</summary>
    private void PushInteger(BigInteger value)
    {
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            Push((long)value);
        }
        else
        {
            Push(value);
        }
    }
}
