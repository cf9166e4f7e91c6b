using Google.Protobuf;

namespace MseLab.Models.Tokenization;

/// <summary>
/// The parts of a SentencePiece <c>tokenizer.model</c> (a serialized <c>sentencepiece_model.proto</c> ModelProto)
/// that encoding depends on, read and written with Google.Protobuf's wire-format streams. Defaults are the proto's.
/// </summary>
public sealed record SentencePieceModelFile
{
    /// <summary>ModelProto.TrainerSpec.ModelType BPE.</summary>
    public const int BpeModelType = 2;

    /// <summary>The vocabulary; the id of a piece is its index.</summary>
    public required IReadOnlyList<SentencePiece> Pieces { get; init; }

    /// <summary>TrainerSpec.model_type (1 unigram, 2 BPE, 3 word, 4 char).</summary>
    public int ModelType { get; init; } = 1;

    /// <summary>TrainerSpec.byte_fallback: characters without a piece become byte pieces instead of <c>&lt;unk&gt;</c>.</summary>
    public bool ByteFallback { get; init; }

    /// <summary>TrainerSpec.split_digits (training only).</summary>
    public bool SplitDigits { get; init; }

    /// <summary>TrainerSpec.treat_whitespace_as_suffix: "▁" ends words instead of starting them.</summary>
    public bool TreatWhitespaceAsSuffix { get; init; }

    /// <summary>NormalizerSpec.name, e.g. <c>identity</c> or <c>nmt_nfkc</c> (informational; the charsmap does the work).</summary>
    public string NormalizerName { get; init; } = "";

    /// <summary>NormalizerSpec.precompiled_charsmap: the compiled character rewriting rules; empty for identity.</summary>
    public byte[] PrecompiledCharsmap { get; init; } = [];

    /// <summary>NormalizerSpec.add_dummy_prefix: a space is put in front of the text.</summary>
    public bool AddDummyPrefix { get; init; } = true;

    /// <summary>NormalizerSpec.remove_extra_whitespaces: leading, trailing and repeated spaces are dropped.</summary>
    public bool RemoveExtraWhitespaces { get; init; } = true;

    /// <summary>NormalizerSpec.escape_whitespaces: spaces become "▁" (U+2581).</summary>
    public bool EscapeWhitespaces { get; init; } = true;

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a SentencePiece model; the message names it.</exception>
    public static SentencePieceModelFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"SentencePiece model '{path}' does not exist.", path);
        }

        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"'{path}' is not a SentencePiece model (ModelProto): {ex.Message} Use the tokenizer.model of the checkpoint.", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"'{path}': {ex.Message}", ex);
        }
    }

    /// <summary>Parses a serialized ModelProto.</summary>
    public static SentencePieceModelFile Parse(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        var pieces = new List<SentencePiece>();
        var model = new SentencePieceModelFile { Pieces = pieces };
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    pieces.Add(ReadPiece(input.ReadBytes()));
                    break;
                case 2:
                    model = ReadTrainerSpec(input.ReadBytes(), model);
                    break;
                case 3:
                    model = ReadNormalizerSpec(input.ReadBytes(), model);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        if (pieces.Count == 0)
        {
            throw new InvalidDataException("the model has no pieces.");
        }

        return model;
    }

    /// <summary>Serializes the model as a ModelProto that SentencePiece loads.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var piece in Pieces)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(Message(o =>
            {
                o.WriteTag(1, WireFormat.WireType.LengthDelimited);
                o.WriteString(piece.Piece);
                o.WriteTag(2, WireFormat.WireType.Fixed32);
                o.WriteFloat(piece.Score);
                o.WriteTag(3, WireFormat.WireType.Varint);
                o.WriteEnum((int)piece.Type);
            }));
        }

        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(Message(o =>
        {
            WriteVarint(o, 3, ModelType);
            WriteVarint(o, 4, Pieces.Count);
            WriteVarint(o, 24, TreatWhitespaceAsSuffix ? 1 : 0);
            WriteVarint(o, 25, SplitDigits ? 1 : 0);
            WriteVarint(o, 35, ByteFallback ? 1 : 0);
            WriteVarint(o, 40, IndexOf(SentencePieceType.Unknown));
            WriteVarint(o, 41, IndexOf("<s>"));
            WriteVarint(o, 42, IndexOf("</s>"));
            WriteVarint(o, 43, -1);
        }));
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(Message(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited);
            o.WriteString(NormalizerName);
            o.WriteTag(2, WireFormat.WireType.LengthDelimited);
            o.WriteBytes(ByteString.CopyFrom(PrecompiledCharsmap));
            WriteVarint(o, 3, AddDummyPrefix ? 1 : 0);
            WriteVarint(o, 4, RemoveExtraWhitespaces ? 1 : 0);
            WriteVarint(o, 5, EscapeWhitespaces ? 1 : 0);
        }));
        output.Flush();
        return stream.ToArray();
    }

    private int IndexOf(SentencePieceType type) => IndexWhere(p => p.Type == type);

    private int IndexOf(string piece) => IndexWhere(p => p.Piece == piece && p.Type == SentencePieceType.Control);

    private int IndexWhere(Func<SentencePiece, bool> predicate)
    {
        for (var i = 0; i < Pieces.Count; i++)
        {
            if (predicate(Pieces[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void WriteVarint(CodedOutputStream output, int field, int value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt32(value);
    }

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return ByteString.CopyFrom(stream.ToArray());
    }

    private static SentencePiece ReadPiece(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        string text = "";
        var score = 0f;
        var type = SentencePieceType.Normal;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: text = input.ReadString(); break;
                case 2: score = input.ReadFloat(); break;
                case 3: type = (SentencePieceType)input.ReadEnum(); break;
                default: input.SkipLastField(); break;
            }
        }

        return new SentencePiece(text, score, type);
    }

    private static SentencePieceModelFile ReadTrainerSpec(ByteString bytes, SentencePieceModelFile model)
    {
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            model = WireFormat.GetTagFieldNumber(tag) switch
            {
                3 => model with { ModelType = input.ReadEnum() },
                24 => model with { TreatWhitespaceAsSuffix = input.ReadBool() },
                25 => model with { SplitDigits = input.ReadBool() },
                35 => model with { ByteFallback = input.ReadBool() },
                _ => Skip(input, model),
            };
        }

        return model;
    }

    private static SentencePieceModelFile ReadNormalizerSpec(ByteString bytes, SentencePieceModelFile model)
    {
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            model = WireFormat.GetTagFieldNumber(tag) switch
            {
                1 => model with { NormalizerName = input.ReadString() },
                2 => model with { PrecompiledCharsmap = input.ReadBytes().ToByteArray() },
                3 => model with { AddDummyPrefix = input.ReadBool() },
                4 => model with { RemoveExtraWhitespaces = input.ReadBool() },
                5 => model with { EscapeWhitespaces = input.ReadBool() },
                _ => Skip(input, model),
            };
        }

        return model;
    }

    private static SentencePieceModelFile Skip(CodedInputStream input, SentencePieceModelFile model)
    {
        input.SkipLastField();
        return model;
    }
}
