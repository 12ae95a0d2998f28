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
/// As strict as the real API where our client could go wrong: a wrong key gets 401, a conversation
/// whose tool messages do not answer the tool calls made (an unknown tool_call_id, or a call left
/// unanswered) gets 400; and it can be told to answer 429 or 5xx.
/// </summary>
public sealed partial class FakeOpenAI : IAsyncDisposable
{
    public const int Dimensions = 64;

    public const string DefaultApiKey = "sk-prueba";

    private readonly WebApplication _app;
    private readonly Func<JsonNode, FakeReply> _script;
    private readonly string _apiKey;
    private readonly Queue<int> _chatFailures = new();
    private int _embeddingRequests;
    private int _embeddedInputs;

    private FakeOpenAI(WebApplication app, Func<JsonNode, FakeReply> script, string apiKey)
    {
        _app = app;
        _script = script;
        _apiKey = apiKey;
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Chat requests the fake accepted and handed to the script.</summary>
    public List<JsonNode> ChatRequests { get; } = [];

    /// <summary>Requests answered with an error (refused, or an injected failure): status and the error message.</summary>
    public List<(int Status, string Message)> Refused { get; } = [];

    /// <summary>Answers the next chat completions with this status (429, 500, 503…), as the API does when overloaded.</summary>
    public void FailNextChats(int status, int times)
    {
        lock (_chatFailures)
        {
            for (var i = 0; i < times; i++)
            {
                _chatFailures.Enqueue(status);
            }
        }
    }

    public void ClearFailures()
    {
        lock (_chatFailures)
        {
            _chatFailures.Clear();
        }
    }

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

    public static async Task<FakeOpenAI> StartAsync(Func<JsonNode, FakeReply>? script = null, string apiKey = DefaultApiKey)
    {
        var port = ProductProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeOpenAI(app, script ?? (_ => new FakeReply.Text("Hola.")), apiKey);
        app.MapPost("/v1/chat/completions", fake.ChatAsync);
        app.MapPost("/v1/embeddings", fake.EmbeddingsAsync);
        app.MapPost("/v1/audio/transcriptions", fake.TranscriptionAsync);
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

    // The API's error shape: {"error":{"message","type","param","code"}}.
    private async Task<bool> RefuseAsync(HttpContext http, int status, string message, string type, string? code, string? param = null)
    {
        lock (Refused)
        {
            Refused.Add((status, message));
        }

        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
        });
        return true;
    }

    private Task<bool> RefuseUnauthorizedAsync(HttpContext http)
    {
        var given = http.Request.Headers.Authorization.FirstOrDefault();
        return given == $"Bearer {_apiKey}"
            ? Task.FromResult(false)
            : RefuseAsync(http, 401, $"Incorrect API key provided: {given?.Replace("Bearer ", "", StringComparison.Ordinal) ?? "(none)"}.", "invalid_request_error", "invalid_api_key");
    }

    /// <summary>What the API says of a conversation whose tool messages do not match its tool calls, or null.</summary>
    private static (string Message, string Param)? ToolMessagesProblem(JsonArray messages)
    {
        var unanswered = new List<string>();
        var known = new HashSet<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i]!;
            var role = message.Role();
            if (role == "tool")
            {
                var id = message["tool_call_id"]?.GetValue<string>();
                if (id is null || !known.Contains(id) || !unanswered.Remove(id))
                {
                    return ($"Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls' (tool_call_id '{id}').", $"messages.[{i}].role");
                }

                continue;
            }

            if (unanswered.Count > 0)
            {
                return ("An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. "
                    + $"The following tool_call_ids did not have response messages: {string.Join(", ", unanswered)}", $"messages.[{i}].role");
            }

            if (role == "assistant" && message["tool_calls"] is JsonArray calls)
            {
                foreach (var call in calls)
                {
                    var id = call!["id"]!.GetValue<string>();
                    known.Add(id);
                    unanswered.Add(id);
                }
            }
        }

        return unanswered.Count > 0
            ? ("An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. "
                + $"The following tool_call_ids did not have response messages: {string.Join(", ", unanswered)}", $"messages.[{messages.Count}]")
            : null;
    }

    private async Task AnswerChatAsync(HttpContext http)
    {
        if (await RefuseUnauthorizedAsync(http))
        {
            return;
        }

        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        int? failure = null;
        lock (_chatFailures)
        {
            if (_chatFailures.Count > 0)
            {
                failure = _chatFailures.Dequeue();
            }
        }

        if (failure is 429)
        {
            await RefuseAsync(http, 429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded");
            return;
        }

        if (failure is { } status)
        {
            await RefuseAsync(http, status, "The server had an error while processing your request. Sorry about that!", "server_error", null);
            return;
        }

        if (ToolMessagesProblem(body.Messages()) is { } problem)
        {
            await RefuseAsync(http, 400, problem.Message, "invalid_request_error", null, problem.Param);
            return;
        }

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
                ["id"] = $"call_{Guid.NewGuid():N}"[..29],
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
        if (await RefuseUnauthorizedAsync(http))
        {
            return;
        }

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

    /// <summary>The tool results that end the request, each with the name of the function whose call it answers.</summary>
    public static List<(string Tool, JsonNode? Result)> ToolResults(this JsonNode request)
    {
        var messages = request.Messages();
        var results = new List<(string, JsonNode?)>();
        var i = messages.Count - 1;
        while (i >= 0 && messages[i]!.Role() == "tool")
        {
            i--;
        }

        if (i < 0 || messages[i]!["tool_calls"] is not JsonArray calls)
        {
            return results;
        }

        var names = calls.ToDictionary(c => c!["id"]!.GetValue<string>(), c => c!["function"]!["name"]!.GetValue<string>());
        for (var j = i + 1; j < messages.Count; j++)
        {
            var content = messages[j]!.Content();
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(content);
            }
            catch (JsonException)
            {
                parsed = JsonValue.Create(content);
            }

            results.Add((names[messages[j]!["tool_call_id"]!.GetValue<string>()], parsed));
        }

        return results;
    }

    public static string Role(this JsonNode message) => message["role"]!.GetValue<string>();

    /// <summary>The content of a message as text (the client may send a string or content parts).</summary>
    public static string Content(this JsonNode message) => message["content"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => string.Empty,
    };
}
