"""Drives the kit's Jupyter kernel with Jupyter's own client libraries and prints what it saw as JSON.

Run by JupyterKernelTests with /usr/bin/python3 (Debian's python3-jupyter-client and python3-nbclient) and
JUPYTER_PATH pointing at a kernelspec that `gistnb kernel install --jupyter --prefix DIR` wrote.

    session KERNEL_NAME                       protocol, signatures, interrupt and shutdown on one kernel
    notebooks KERNEL_NAME WORK_DIR OUT_DIR NB...  executes each notebook with nbclient (cwd WORK_DIR), writes it to OUT_DIR
    nbconvert OUT_DIR NB                      `python3 -m nbconvert --to notebook --execute` on NB, as a user types it

In both notebook modes the kernel is the one the notebook's metadata names (nbclient is given no kernel name), and
each executed notebook is checked with nbformat's validator.
"""
import json
import os
import subprocess
import sys
import threading
import time

import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

CELL_TIMEOUT = 600


def run(client, code, timeout=CELL_TIMEOUT):
    outputs = []
    reply = client.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
    return {"reply": reply["content"], "outputs": [{"msg_type": m["msg_type"], "content": m["content"]} for m in outputs]}


def shell_reply(client, msg_id, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        msg = client.get_shell_msg(timeout=deadline - time.time())
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg
    raise TimeoutError(msg_id)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except OSError:
                pass
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def forged(km, client, key):
    """Sends an execute_request signed with KEY straight to the shell socket; returns what came back within 5 s."""
    info = km.get_connection_info()
    context = zmq.Context.instance()
    socket = context.socket(zmq.DEALER)
    socket.linger = 0
    socket.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
    session = Session(key=key, username="forger")
    message = session.msg("execute_request", {"code": 'Console.WriteLine("forged")', "silent": False, "store_history": True,
                                              "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    session.send(socket, message)
    replies = 0
    poller = zmq.Poller()
    poller.register(socket, zmq.POLLIN)
    deadline = time.time() + 5
    while time.time() < deadline:
        if poller.poll(200):
            socket.recv_multipart()
            replies += 1
    iopub = 0
    while True:
        try:
            msg = client.get_iopub_msg(timeout=0.5)
        except Exception:
            break
        if msg["parent_header"].get("msg_id") == message["header"]["msg_id"]:
            iopub += 1
    socket.close()
    return {"replies": replies, "iopub": iopub}


def session(kernel_name):
    report = {}
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel()
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    process = km.provisioner.process
    pid = process.pid

    msg_id = client.kernel_info()
    report["kernel_info"] = shell_reply(client, msg_id)["content"]
    report["first"] = run(client, "1+1")
    report["outputs"] = run(client, 'Console.WriteLine("to stdout"); display("shown"); "last value"')
    report["error"] = run(client, 'throw new InvalidOperationException("no cohort");')
    report["compile_error"] = run(client, "var x = ;")
    report["chart"] = run(client, '#r "nuget: Plotly.NET.Interactive, 6.0.0"\n#r "nuget: Plotly.NET.CSharp, 0.14.0"')
    report["chart"] = run(client, "Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 0, 12, 24 }, y: new[] { 100, 64, 34 })")
    report["is_complete"] = {}
    for code in ["var a = 1;", "if (a > 0) {", "#!csharp\nvar b = 2;"]:
        report["is_complete"][code] = shell_reply(client, client.is_complete(code))["content"]
    code = "var survival = 0.637;\nsurvival.ToStr"
    report["complete"] = shell_reply(client, client.complete(code, len(code)))["content"]
    report["inspect"] = shell_reply(client, client.inspect("Math.Sqrt(2)", 6))["content"]

    report["forged_wrong_key"] = forged(km, client, b"not-the-key")
    report["forged_unsigned"] = forged(km, client, b"")
    report["after_forged"] = run(client, "40 + 2")

    def interrupt_later():
        time.sleep(3)
        km.interrupt_kernel()

    threading.Thread(target=interrupt_later).start()
    started = time.time()
    report["interrupted"] = run(client, "var n = 0L;\nwhile (true) { n++; }", timeout=120)
    report["interrupt_seconds"] = time.time() - started
    before = cpu_seconds(pid)
    time.sleep(2)
    report["idle_cpu_seconds"] = cpu_seconds(pid) - before
    # The loop's thread has stopped: its counter no longer moves, however busy the machine is.
    report["after_interrupt"] = run(client, "var before = n;\nSystem.Threading.Thread.Sleep(1500);\nn > 0 && n == before", timeout=120)

    family = [pid] + descendants(pid)
    client.stop_channels()
    shutdown_started = time.time()
    km.shutdown_kernel(now=False)
    report["shutdown_seconds"] = time.time() - shutdown_started
    report["exit_code"] = process.poll()
    time.sleep(1)
    report["left_alive"] = [p for p in family if alive(p)]
    return report


def executed(notebook, error, seconds):
    """What the test compares: the error if any, nbformat's complaint if any, and each code cell's outputs."""
    import nbformat

    invalid = None
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as e:
        invalid = str(e).splitlines()[0]
    cells = [[{"output_type": o["output_type"], "data": o.get("data", {}), "text": o.get("text", ""),
               "ename": o.get("ename", ""), "evalue": o.get("evalue", "")} for o in c.get("outputs", [])]
             for c in notebook.cells if c.cell_type == "code"]
    return {"error": error, "invalid": invalid, "format": [notebook.nbformat, notebook.nbformat_minor],
            "seconds": seconds, "cells": cells}


def notebooks(kernel_name, work_dir, out_dir, files):
    import nbformat
    from nbclient import NotebookClient

    report = {}
    for path in files:
        notebook = nbformat.read(path, as_version=4)
        name = os.path.basename(path)
        chosen = notebook.metadata.get("kernelspec", {}).get("name")
        if chosen != kernel_name:
            report[name] = executed(notebook, f"the notebook's metadata names kernel {chosen!r}, not {kernel_name!r}", 0)
            continue
        # No kernel_name: nbclient starts the kernel the metadata names, as a front end does.
        client = NotebookClient(notebook, timeout=CELL_TIMEOUT, startup_timeout=120, resources={"metadata": {"path": work_dir}})
        started = time.time()
        error = None
        try:
            client.execute()
        except Exception as e:  # the test reports which notebook and cell failed
            error = f"{type(e).__name__}: {e}"
        nbformat.write(notebook, os.path.join(out_dir, name))
        report[name] = executed(notebook, error, time.time() - started)
    return report


def nbconvert(out_dir, path):
    import nbformat

    started = time.time()
    command = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output-dir", out_dir, path]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=CELL_TIMEOUT * 2)
    name = os.path.basename(path)
    written = os.path.join(out_dir, name)
    error = None if finished.returncode == 0 else f"nbconvert exited with {finished.returncode}: {finished.stderr[-4000:]}"
    if not os.path.exists(written):
        return {name: {"error": error or "nbconvert wrote nothing", "invalid": None, "format": None, "seconds": 0, "cells": []}}
    return {name: executed(nbformat.read(written, as_version=nbformat.NO_CONVERT), error, time.time() - started)}


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "session":
        result = session(sys.argv[2])
    elif mode == "nbconvert":
        result = nbconvert(sys.argv[2], sys.argv[3])
    else:
        result = notebooks(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    json.dump(result, sys.stdout)
