namespace MseLab.Experiments.Datasets;

/// <summary>What a dataset's labels are, and so what the LLM is asked to generate.</summary>
public enum TaskKind
{
    /// <summary>Multimodal sentiment analysis: an intensity, printed with one decimal (MOSEI, SIMS-V2).</summary>
    Regression,

    /// <summary>Emotion recognition in conversation: one of 7 classes, printed as its index (MELD, CHERMA).</summary>
    Classification,
}
