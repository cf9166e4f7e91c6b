namespace MseLab.Store.Queries;

/// <summary>The kinds of token of the filter language.</summary>
public enum FilterTokenKind
{
    /// <summary>A word: a field name, a keyword (and, or, not, in, like) or an unquoted text value.</summary>
    Word,
    Number,
    /// <summary>A quoted text ('...' or "...", the quote doubled inside).</summary>
    Text,
    Operator,
    OpenParen,
    CloseParen,
    Comma,
    End,
}

/// <summary>One token with its 1-based position in the expression.</summary>
public sealed record FilterToken(FilterTokenKind Kind, string Text, int Position, double Number = 0);
