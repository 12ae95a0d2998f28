using System.Text.Json;

namespace AgenteVendedor.Panel.Api;

/// <summary>The Api's JSON: snake_case fields.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };
}
