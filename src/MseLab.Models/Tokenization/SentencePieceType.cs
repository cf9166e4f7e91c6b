namespace MseLab.Models.Tokenization;

/// <summary>The kind of a SentencePiece piece (<c>ModelProto.SentencePiece.Type</c>).</summary>
public enum SentencePieceType
{
    /// <summary>An ordinary piece.</summary>
    Normal = 1,

    /// <summary>The unknown piece (<c>&lt;unk&gt;</c>).</summary>
    Unknown = 2,

    /// <summary>A control symbol such as <c>&lt;s&gt;</c>: never produced from text, decodes to nothing.</summary>
    Control = 3,

    /// <summary>A user-defined symbol: always one piece when it occurs in text.</summary>
    UserDefined = 4,

    /// <summary>An unused piece.</summary>
    Unused = 5,

    /// <summary>A byte-fallback piece <c>&lt;0xNN&gt;</c>.</summary>
    Byte = 6,
}
