using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace AgenteVendedor.Api.Tests;

/// <summary>What a client of the HTTP API sees: status, headers and JSON, nothing of our own types.</summary>
public sealed class ApiClient(HttpClient http) : IDisposable
{
    public const string Password = "clave-segura-1";

    public HttpClient Http => http;

    public ApiClient WithToken(string token)
    {
        var client = new HttpClient { BaseAddress = http.BaseAddress, Timeout = http.Timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiClient(client);
    }

    public Task<Answer> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<Answer> PostAsync(string path, object? body) => SendAsync(HttpMethod.Post, path, body);

    public Task<Answer> PutAsync(string path, object? body) => SendAsync(HttpMethod.Put, path, body);

    public Task<Answer> PatchAsync(string path, object? body) => SendAsync(HttpMethod.Patch, path, body);

    public Task<Answer> SendRawAsync(HttpMethod method, string path, string body, string contentType) =>
        SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) });

    private Task<Answer> SendAsync(HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(
                body as string ?? System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        return SendAsync(request);
    }

    private async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        // A live stream never ends by itself: its answer is the headers, and disposing the response closes it.
        var text = mediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, mediaType, response.Headers, text);
    }

    /// <summary>Registers a new empresa with its admin and returns the admin's client and identifiers.</summary>
    public async Task<Tenant> RegisterAsync(string empresa = "Ferretería La Tuerca", string? email = null)
    {
        email ??= $"admin.{Guid.NewGuid():N}@ejemplo.co";
        var answer = await PostAsync("/auth/registro", new
        {
            empresa = new { nombre = empresa },
            usuario = new { nombre = "Ana Pérez", email, password = Password },
        });
        Assert.Equal(HttpStatusCode.Created, answer.Status);
        return new Tenant(
            WithToken(answer.Json["access_token"]!.GetValue<string>()),
            Guid.Parse(answer.Json["empresa_id"]!.GetValue<string>()),
            Guid.Parse(answer.Json["usuario_id"]!.GetValue<string>()),
            email);
    }

    /// <summary>Has the tenant's admin create a user with the role, then signs that user in.</summary>
    public async Task<(ApiClient Client, Guid Id, string Email)> AddUserAsync(Tenant tenant, string role)
    {
        var email = $"{role}.{Guid.NewGuid():N}@ejemplo.co";
        var created = await tenant.Admin.PostAsync("/usuarios", new { nombre = $"Usuario {role}", email, password = Password, rol = role });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return (await SignInAsync(email), Guid.Parse(created.Json["id"]!.GetValue<string>()), email);
    }

    public async Task<ApiClient> SignInAsync(string email, string password = Password)
    {
        var login = await PostAsync("/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.Status);
        return WithToken(login.Json["access_token"]!.GetValue<string>());
    }

    /// <summary>Right after a silo is declared dead a call may still be answered 503: a client retries, for up to 30 s.</summary>
    public static async Task<Answer> RetryWhileUnavailableAsync(Func<Task<Answer>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var answer = await call();
            if (answer.Status != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(500);
        }
    }

    public void Dispose() => http.Dispose();
}

public sealed record Tenant(ApiClient Admin, Guid EmpresaId, Guid AdminId, string AdminEmail);

public sealed record Answer(HttpStatusCode Status, string? MediaType, HttpResponseHeaders Headers, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");

    public string? Detail => Json["detail"]?.GetValue<string>();

    /// <summary>The messages a problem+json answer gives for one field.</summary>
    public IReadOnlyList<string> ErrorsFor(string field) =>
        Json["errors"]?[field]?.AsArray().Select(m => m!.GetValue<string>()).ToList() ?? [];

    public void AssertProblem(HttpStatusCode status)
    {
        Assert.True(status == Status, $"expected {(int)status}, got {(int)Status}: {Body}");
        Assert.Equal("application/problem+json", MediaType);
        Assert.Equal((int)status, Json["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(Json["title"]?.GetValue<string>()));
    }
}
