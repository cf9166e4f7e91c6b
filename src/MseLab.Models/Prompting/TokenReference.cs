using MseLab.Models.Tokenization;

namespace MseLab.Models.Prompting;

/// <summary>A token named either by id (LLaMA's pad id 0) or by its text (Qwen's <c>&lt;|endoftext|&gt;</c>).</summary>
public sealed record TokenReference
{
    private TokenReference(int? id, string? token)
    {
        Id = id;
        Token = token;
    }

    /// <summary>The fixed id, when the reference is by id.</summary>
    public int? Id { get; }

    /// <summary>The token text, when the reference is by name.</summary>
    public string? Token { get; }

    /// <summary>A token given by id.</summary>
    public static TokenReference ById(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        return new TokenReference(id, null);
    }

    /// <summary>A token given by its vocabulary text.</summary>
    public static TokenReference ByName(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return new TokenReference(null, token);
    }

    /// <summary>The id in <paramref name="tokenizer"/>; throws naming the token when a named one is absent.</summary>
    public int Resolve(ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return Id ?? tokenizer.TokenToId(Token!);
    }

    /// <inheritdoc />
    public override string ToString() => Id is { } id ? $"id {id}" : $"\"{Token}\"";
}
