using System.Runtime.ExceptionServices;

namespace MetricLoss.Generator.Tests.Infrastructure;

/// <summary>
/// Runs work on a thread with a small stack. A stack overflow cannot be caught and kills the test host, so what must
/// never overflow is run with a quarter of the 1 MB a compiler thread has at least; the generator's stack checks
/// (EnsureSufficientExecutionStack) keep 128 KB of it in reserve, so what passes here needs less than 128 KB.
/// </summary>
internal static class SmallStack
{
    public const int Bytes = 256 * 1024;

    public static T Run<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        }, Bytes);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
