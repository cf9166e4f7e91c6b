using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using static MseLab.Datasets.Pickles.PickleOpcodes;

namespace MseLab.Datasets.Pickles;

/// <summary>
/// The pickle virtual machine (CPython's Lib/pickle.py <c>_Unpickler</c>, same stack, mark and memo rules) with every
/// opcode that could run code either refused or confined to <see cref="PickleGlobal"/>'s allow-list. A global is
/// checked when GLOBAL or STACK_GLOBAL is read, before any argument of its call is.
/// </summary>
internal sealed partial class PickleMachine(PickleReader input, long inMemoryLimit)
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
}
