using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Testing;

/// <summary>
/// A stand-in for the OpenAI API on loopback, speaking its wire format: chat completions answered
/// by a script (text or tool calls), and embeddings (base64 float32, as the official client asks).
/// </summary>
public sealed class FakeOpenAI : IAsyncDisposable
{
    public const int Dimensions = 64;

    private readonly WebApplication _app;
    private readonly Func<JsonNode, FakeReply> _script;
    private int _embeddingRequests;
    private int _embeddedInputs;

    private FakeOpenAI(WebApplication app, Func<JsonNode, FakeReply> script)
    {
        _app = app;
        _script = script;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public List<JsonNode> ChatRequests { get; } = [];

    public int EmbeddingRequests => _embeddingRequests;

    public int EmbeddedInputs => _embeddedInputs;

    public List<string> EmbeddedTexts { get; } = [];

    /// <summary>While true, every embeddings request is answered 500 with an OpenAI error body (an outage).</summary>
    public bool FailEmbeddings
    {
        get => Volatile.Read(ref _failEmbeddings);
        set => Volatile.Write(ref _failEmbeddings, value);
    }

    private bool _failEmbeddings;

    /// <summary>Embeddings requests answered 500 because of <see cref="FailEmbeddings"/>.</summary>
    public int FailedEmbeddingRequests => _failedEmbeddingRequests;

    private int _failedEmbeddingRequests;

    public static async Task<FakeOpenAI> StartAsync(Func<JsonNode, FakeReply>? script = null)
    {
        var port = ProductProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeOpenAI(app, script ?? (_ => new FakeReply.Text("Hola.")));
        app.MapPost("/v1/chat/completions", fake.ChatAsync);
        app.MapPost("/v1/embeddings", fake.EmbeddingsAsync);
        await app.StartAsync();
        fake.BaseUrl = new Uri($"http://127.0.0.1:{port}/v1");
        return fake;
    }

    /// <summary>Failures of the fake itself (a script that threw), for the test's own messages.</summary>
    public List<string> Errors { get; } = [];

    private async Task ChatAsync(HttpContext http)
    {
        try
        {
            await AnswerChatAsync(http);
        }
        catch (Exception e)
        {
            lock (Errors)
            {
                Errors.Add(e.ToString());
            }

            http.Response.StatusCode = 500;
            await http.Response.WriteAsync(e.Message);
        }
    }

    private async Task AnswerChatAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        FakeReply reply;
        lock (ChatRequests)
        {
            ChatRequests.Add(body);
            reply = _script(body);
        }

        if (reply is FakeReply.Slow slow)
        {
            // A model that takes its time: the client may give up first.
            try
            {
                await Task.Delay(slow.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            reply = slow.Then;
        }

        var message = new JsonObject { ["role"] = "assistant" };
        string finish;
        if (reply is FakeReply.ToolCalls calls)
        {
            message["content"] = null;
            message["tool_calls"] = new JsonArray(calls.Calls.Select((c, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"call_{Guid.NewGuid():N}"[..20],
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = JsonSerializer.Serialize(c.Arguments) },
            }).ToArray());
            finish = "tool_calls";
        }
        else
        {
            message["content"] = ((FakeReply.Text)reply).Content;
            finish = "stop";
        }

        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = $"chatcmpl-{Guid.NewGuid():N}",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = body["model"]?.GetValue<string>() ?? "gpt-4o-mini",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finish }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 10, ["total_tokens"] = 20 },
        });
    }

    private async Task EmbeddingsAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        if (FailEmbeddings)
        {
            Interlocked.Increment(ref _failedEmbeddingRequests);
            http.Response.StatusCode = (int)HttpStatusCode.InternalServerError;
            await http.Response.WriteAsJsonAsync(new JsonObject
            {
                ["error"] = new JsonObject { ["message"] = "The server had an error while processing your request.", ["type"] = "server_error" },
            });
            return;
        }

        var inputs = body["input"] is JsonArray array ? array.Select(i => i!.GetValue<string>()).ToList() : [body["input"]!.GetValue<string>()];
        Interlocked.Increment(ref _embeddingRequests);
        Interlocked.Add(ref _embeddedInputs, inputs.Count);
        lock (EmbeddedTexts)
        {
            EmbeddedTexts.AddRange(inputs);
        }

        var data = new JsonArray(inputs.Select((text, i) => (JsonNode)new JsonObject
        {
            ["object"] = "embedding",
            ["index"] = i,
            ["embedding"] = Convert.ToBase64String(Vector(text).SelectMany(BitConverter.GetBytes).ToArray()),
        }).ToArray());
        http.Response.StatusCode = (int)HttpStatusCode.OK;
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = body["model"]?.GetValue<string>() ?? "text-embedding-3-small",
            ["usage"] = new JsonObject { ["prompt_tokens"] = inputs.Count, ["total_tokens"] = inputs.Count },
        });
    }

    // Letter trigrams hashed into a few dimensions: crude, deterministic, enough to rank similar texts together.
    private static float[] Vector(string text)
    {
        var vector = new float[Dimensions];
        var lower = text.ToLowerInvariant();
        for (var i = 0; i + 3 <= lower.Length; i++)
        {
            vector[(lower[i] * 31 * 31 + lower[i + 1] * 31 + lower[i + 2]) % Dimensions] += 1;
        }

        return vector;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public abstract record FakeReply
{
    public sealed record Text(string Content) : FakeReply;

    public sealed record ToolCalls(params (string Name, object Arguments)[] Calls) : FakeReply;

    /// <summary>Answers <paramref name="Then"/> after <paramref name="Delay"/>.</summary>
    public sealed record Slow(TimeSpan Delay, FakeReply Then) : FakeReply;
}

/// <summary>Reading what the client sent, as a scripted model would.</summary>
public static class ChatRequestReading
{
    public static JsonArray Messages(this JsonNode request) => request["messages"]!.AsArray();

    public static JsonNode Last(this JsonNode request) => request.Messages()[^1]!;

    public static string Role(this JsonNode message) => message["role"]!.GetValue<string>();

    /// <summary>The content of a message as text (the client may send a string or content parts).</summary>
    public static string Content(this JsonNode message) => message["content"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => string.Empty,
    };
}
