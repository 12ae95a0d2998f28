namespace AgenteVendedor.Tenancy;

/// <summary>One of the empresa's frequent questions with its answer (PUT /empresa preguntas_frecuentes).</summary>
[GenerateSerializer, Immutable, Alias("av.FaqEntry")]
public sealed record FaqEntry([property: Id(0)] string Question, [property: Id(1)] string Answer);

/// <summary>The bounds of the FAQ, the same for the Api's checks and the agent's prompt.</summary>
public static class FaqLimits
{
    public const int MaxEntries = 50;
    public const int MaxQuestion = 300;
    public const int MaxAnswer = 2000;
}
