using Tokenizers.DotNet;

namespace MseLab.Models.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> (LLaMA-2 and other BPE, WordPiece, WordLevel or Unigram tokenizers),
/// encoded and decoded by the Rust tokenizers library through Tokenizers.DotNet, so ids match Hugging Face.
/// </summary>
/// <remarks>
/// Tokenizers.DotNet always applies the file's post-processor. Hugging Face's <c>add_special_tokens=False</c>
/// means the post-processor adds nothing, so a second native tokenizer is loaded from a copy of the JSON whose
/// <c>post_processor</c> is null. The copy lives in a temporary file only while it loads.
/// </remarks>
public sealed class HfJsonTokenizer : ITextTokenizer
{
    private readonly Tokenizer _withSpecialTokens;
    private readonly Tokenizer _withoutSpecialTokens;
    private readonly Dictionary<string, int> _tokenToId;
    private bool _disposed;

    /// <summary>Loads <paramref name="tokenizerJsonPath"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a usable tokenizer.json; the message names the file and the fix.</exception>
    public HfJsonTokenizer(string tokenizerJsonPath)
    {
        var file = TokenizerJsonFile.Read(tokenizerJsonPath);
        Path = System.IO.Path.GetFullPath(tokenizerJsonPath);
        _tokenToId = file.TokenToId;
        VocabSize = file.VocabSize;

        _withSpecialTokens = LoadNative(Path, Path);
        if (!file.HasPostProcessor)
        {
            _withoutSpecialTokens = _withSpecialTokens;
            return;
        }

        var copyPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mselab-tokenizer-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(copyPath, file.WithoutPostProcessor());
            _withoutSpecialTokens = LoadNative(copyPath, Path);
        }
        catch
        {
            _withSpecialTokens.Dispose();
            throw;
        }
        finally
        {
            // The native library parses the file while loading and keeps nothing open.
            File.Delete(copyPath);
        }
    }

    /// <summary>Full path of the loaded tokenizer.json.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public int VocabSize { get; }

    /// <inheritdoc />
    public int[] Encode(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var ids = (addSpecialTokens ? _withSpecialTokens : _withoutSpecialTokens).Encode(text);
        var result = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            result[i] = checked((int)ids[i]);
        }

        return result;
    }

    /// <inheritdoc />
    public string Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var native = new uint[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"Token id at position {i} is negative.");
            }

            native[i] = (uint)ids[i];
        }

        return native.Length == 0 ? string.Empty : _withSpecialTokens.Decode(native);
    }

    /// <inheritdoc />
    public int TokenToId(string token)
    {
        if (TryTokenToId(token, out var id))
        {
            return id;
        }

        throw new KeyNotFoundException(
            $"Token \"{token}\" is not in the vocabulary or the added tokens of '{Path}'.");
    }

    /// <inheritdoc />
    public bool TryTokenToId(string token, out int id)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _tokenToId.TryGetValue(token, out id);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!ReferenceEquals(_withoutSpecialTokens, _withSpecialTokens))
        {
            _withoutSpecialTokens.Dispose();
        }

        _withSpecialTokens.Dispose();
    }

    private static Tokenizer LoadNative(string loadPath, string reportedPath)
    {
        try
        {
            return new Tokenizer(vocabPath: loadPath);
        }
        catch (TokenizerException ex)
        {
            throw new InvalidDataException(
                $"The tokenizers library could not load '{reportedPath}': {ex.Message} " +
                "Check that the file was written by Hugging Face tokenizers (or MseLab's trainer) and is complete.", ex);
        }
    }
}
