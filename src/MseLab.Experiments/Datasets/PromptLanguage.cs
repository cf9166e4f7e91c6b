namespace MseLab.Experiments.Datasets;

/// <summary>
/// A data set's <c>language</c> setting in the official configs. It picks the multimodal tag text:
/// English wraps the block in <c>&lt;Multimodal&gt;…&lt;/Multimodal&gt;</c>, Chinese in <c>&lt;多模态&gt;…&lt;/多模态&gt;</c>.
/// </summary>
public enum PromptLanguage
{
    /// <summary><c>language: 'en'</c> (MOSEI, MELD).</summary>
    English,

    /// <summary><c>language: 'cn'</c> (SIMS-V2, CHERMA).</summary>
    Chinese,
}
