using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>
/// Every process the harness starts, killed (with its descendants) on <see cref="Dispose"/>, on Ctrl+C,
/// SIGTERM and on process exit. Each child's output goes to a log file in the work folder.
/// </summary>
internal sealed class ChildProcesses : IDisposable
{
    private readonly List<Process> _processes = [];
    private readonly List<StreamWriter> _logs = [];
    private readonly Lock _lock = new();
    private readonly string _logDirectory;

    public ChildProcesses(string logDirectory)
    {
        _logDirectory = logDirectory;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public Process Start(string name, string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["LOADTEST_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var log = new StreamWriter(Path.Combine(_logDirectory, name + ".log")) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Exited += (_, _) => Write(log, $"[harness] exited with {SafeExitCode(process)}");
        lock (_lock)
        {
            process.Start();
            _processes.Add(process);
            _logs.Add(log);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public string LogPath(string name) => Path.Combine(_logDirectory, name + ".log");

    public void KillAll()
    {
        Process[] processes;
        lock (_lock)
        {
            processes = [.. _processes];
            _processes.Clear();
        }

        // SIGTERM first, so nginx and haproxy stop (and reap) their workers; SIGKILL to the whole tree after 3 s.
        foreach (var process in processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    _ = SendSignal(process.Id, SigTerm);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }

        var deadline = Environment.TickCount64 + 3000;
        foreach (var process in processes)
        {
            try
            {
                process.WaitForExit((int)Math.Max(0, deadline - Environment.TickCount64));
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
    }

    public void Dispose()
    {
        KillAll();
        lock (_lock)
        {
            foreach (var log in _logs)
            {
                lock (log)
                {
                    log.Dispose();
                }
            }

            _logs.Clear();
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}
