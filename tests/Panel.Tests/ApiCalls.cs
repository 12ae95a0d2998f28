using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Panel.Tests;

/// <summary>Setting the scene through the public HTTP API, as an integrator would, before the browser looks at it.</summary>
public sealed class ApiCalls(HttpClient http) : IDisposable
{
    public const string Password = "clave-segura-1";

    public static string NewEmail(string who) => $"{who}.{Guid.NewGuid():N}@ejemplo.co";

    public async Task<string> RegisterAsync(string empresa, string email)
    {
        var answer = await PostAsync(null, "/auth/registro", new
        {
            empresa = new { nombre = empresa, cultura = "es-CO", moneda = "COP", zona_horaria = "America/Bogota" },
            usuario = new { nombre = "Dueña", email, password = Password },
        });
        return answer["access_token"]!.GetValue<string>();
    }

    public async Task<string> LoginAsync(string email, string password = Password) =>
        (await PostAsync(null, "/auth/login", new { email, password }))["access_token"]!.GetValue<string>();

    public async Task ImportAsync(string token, string csv)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/productos/importar?modo=reemplazar")
        {
            Content = new StringContent(csv, Encoding.UTF8, "text/csv"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonNode> PostAsync(string? token, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Any call, answered or refused: its status and its JSON body.</summary>
    public async Task<(int Status, JsonNode? Body)> SendAsync(string token, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Places an order through the offline agent, the way a customer on the chat would.</summary>
    public async Task<Guid> OrderByChatAsync(string token, string first)
    {
        var reply = await PostAsync(token, "/chat", new { mensaje = first });
        var conversation = reply["conversacion_id"]!.GetValue<Guid>();
        foreach (var text in OrderDialogue)
        {
            reply = await PostAsync(token, "/chat", new { mensaje = text, conversacion_id = conversation });
        }

        Assert.NotNull(reply["orden_id"]?.GetValue<Guid>());
        return conversation;
    }

    /// <summary>After "quiero 2 martillos": confirm, then the name, phone and address the agent asks for, then yes.</summary>
    public static readonly string[] OrderDialogue = ["confirmo el pedido", "Ana Gómez", "3001234567", "Calle 10 # 5-20", "sí"];

    public async Task<HttpResponseMessage> DeliverWhatsAppAsync(byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Hub-Signature-256", MetaWebhook.Sign(body, PanelFixture.AppSecret));
        return await http.SendAsync(request);
    }

    public void Dispose() => http.Dispose();
}
