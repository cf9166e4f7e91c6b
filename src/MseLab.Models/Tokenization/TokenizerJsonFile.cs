using System.Text.Json;
using System.Text.Json.Nodes;

namespace MseLab.Models.Tokenization;

/// <summary>
/// What MseLab reads from a Hugging Face <c>tokenizer.json</c> itself (the native library does the encoding):
/// the token-to-id table of the model vocabulary plus <c>added_tokens</c>, and whether a post-processor is set.
/// </summary>
internal sealed class TokenizerJsonFile
{
    // Model types whose "vocab" is a token -> id object, and the one (Unigram) whose "vocab" is a [piece, score] list.
    private static readonly string[] DictionaryVocabModels = ["BPE", "WordPiece", "WordLevel"];
    private const string ListVocabModel = "Unigram";

    private TokenizerJsonFile(string path, JsonObject root, Dictionary<string, int> tokenToId, int vocabSize)
    {
        Path = path;
        Root = root;
        TokenToId = tokenToId;
        VocabSize = vocabSize;
    }

    public string Path { get; }

    public JsonObject Root { get; }

    /// <summary>Added tokens win over model entries of the same text, as in Hugging Face's <c>token_to_id</c>.</summary>
    public Dictionary<string, int> TokenToId { get; }

    public int VocabSize { get; }

    public bool HasPostProcessor => Root["post_processor"] is not null;

    public static TokenizerJsonFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Tokenizer file '{path}' does not exist. Pass the path of a Hugging Face tokenizer.json " +
                "(it sits next to config.json in a model folder).", path);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(
                $"Tokenizer file '{path}' is not valid JSON (line {ex.LineNumber + 1}): {ex.Message} " +
                "Download or generate the tokenizer.json again.", ex);
        }

        if (node is not JsonObject root || root["model"] is not JsonObject model)
        {
            throw new InvalidDataException(
                $"Tokenizer file '{path}' has no \"model\" object, so it is not a Hugging Face tokenizer.json " +
                "(tokenizer_config.json and special_tokens_map.json are different files). Pass tokenizer.json.");
        }

        var tokenToId = ReadModelVocab(path, model);
        var maxId = tokenToId.Count == 0 ? -1 : tokenToId.Values.Max();
        maxId = Math.Max(maxId, ReadAddedTokens(path, root, tokenToId));
        return new TokenizerJsonFile(path, root, tokenToId, maxId + 1);
    }

    /// <summary>The same JSON with <c>"post_processor": null</c>: Hugging Face's <c>add_special_tokens=False</c>.</summary>
    public string WithoutPostProcessor()
    {
        var copy = (JsonObject)Root.DeepClone();
        copy["post_processor"] = null;
        return copy.ToJsonString();
    }

    private static Dictionary<string, int> ReadModelVocab(string path, JsonObject model)
    {
        var type = model["type"] is JsonValue typeValue && typeValue.TryGetValue(out string? t) ? t : null;
        var vocab = model["vocab"];
        if (type is not null && type != ListVocabModel && !DictionaryVocabModels.Contains(type))
        {
            throw new InvalidDataException(
                $"Tokenizer file '{path}' has model type \"{type}\"; MseLab reads BPE, WordPiece, WordLevel and " +
                "Unigram tokenizer.json files. Convert the tokenizer to one of these with Hugging Face tokenizers.");
        }

        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        switch (vocab)
        {
            case JsonObject entries when type != ListVocabModel:
                foreach (var (token, idNode) in entries)
                {
                    result[token] = ReadId(path, idNode, $"model.vocab[\"{token}\"]");
                }

                break;
            case JsonArray pieces when type is null or ListVocabModel:
                for (var id = 0; id < pieces.Count; id++)
                {
                    if (pieces[id] is not JsonArray { Count: > 0 } pair || pair[0] is not JsonValue piece
                        || !piece.TryGetValue(out string? text))
                    {
                        throw new InvalidDataException(
                            $"Tokenizer file '{path}': model.vocab[{id}] is not a [piece, score] pair. The file is damaged; regenerate it.");
                    }

                    result.TryAdd(text, id);
                }

                break;
            default:
                throw new InvalidDataException(
                    $"Tokenizer file '{path}': model.vocab is missing or has the wrong shape for model type " +
                    $"\"{type ?? "(none)"}\". The file is damaged or not a Hugging Face tokenizer.json; regenerate it.");
        }

        return result;
    }

    private static int ReadAddedTokens(string path, JsonObject root, Dictionary<string, int> tokenToId)
    {
        var maxId = -1;
        if (root["added_tokens"] is not JsonArray added)
        {
            return maxId;
        }

        for (var i = 0; i < added.Count; i++)
        {
            if (added[i] is not JsonObject entry || entry["content"] is not JsonValue contentValue
                || !contentValue.TryGetValue(out string? content))
            {
                throw new InvalidDataException(
                    $"Tokenizer file '{path}': added_tokens[{i}] has no \"content\" string. The file is damaged; regenerate it.");
            }

            var id = ReadId(path, entry["id"], $"added_tokens[{i}].id");
            tokenToId[content] = id;
            maxId = Math.Max(maxId, id);
        }

        return maxId;
    }

    private static int ReadId(string path, JsonNode? node, string where)
    {
        if (node is JsonValue value && value.TryGetValue(out int id) && id >= 0)
        {
            return id;
        }

        throw new InvalidDataException(
            $"Tokenizer file '{path}': {where} is not a non-negative integer id. The file is damaged; regenerate it.");
    }
}
