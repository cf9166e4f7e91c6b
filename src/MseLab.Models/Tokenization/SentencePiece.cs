namespace MseLab.Models.Tokenization;

/// <summary>One vocabulary entry of a SentencePiece model: its text, score and kind; its id is its index.</summary>
public sealed record SentencePiece(string Piece, float Score, SentencePieceType Type);
