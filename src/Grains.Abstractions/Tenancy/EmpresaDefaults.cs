namespace AgenteVendedor.Tenancy;

/// <summary>What an empresa gets when registration or PUT /empresa leaves a setting out.</summary>
public static class EmpresaDefaults
{
    public const string Currency = "COP";
    public const string Culture = "es-CO";
    public const string TimeZone = "America/Bogota";
    public const string Tone = "amigable";
    public const string AgentName = "Asistente";

    public static readonly IReadOnlyList<string> Tones = ["formal", "informal", "amigable", "profesional"];
}
