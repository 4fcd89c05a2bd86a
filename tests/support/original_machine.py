#!/usr/bin/env python3
"""A stand-in for the original project's machine.py, written from its README (section 4.1).

Listens on 0.0.0.0:--port (a thread per accepted connection reads chunks, splits each chunk on
newlines and int()s every line, ignoring what fails, into a queue); every 1/clock_rate seconds
it processes one queued timestamp (RECEIVE, clock = max(local, received) + 1) or rolls a
10-sided die: 1 sends to the first peer, 2 to the second, 3 to both, else INTERNAL. A SEND
opens a new TCP connection per recipient, writes "<clock>\\n" and closes it. Every event is one
JSON line in the original schema (json.dumps); END has final_clock.

Additions for tests only (the original has neither): --rate fixes the clock rate (the original
draws 1..6), and --bind sets the listen address (the original always uses 0.0.0.0).
"""
import argparse
import json
import queue
import random
import socket
import sys
import threading
import time


class Machine:
    def __init__(self, machine_id, listen_port, peer_addresses, log_path, bind, rate):
        self.machine_id = machine_id
        self.listen_port = listen_port
        self.peer_addresses = peer_addresses
        self.clock_rate = rate if rate is not None else random.randint(1, 6)
        self.local_clock = 0
        self.incoming_queue = queue.Queue()
        self.server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server_socket.bind((bind, listen_port))
        self.server_socket.listen()
        self.server_socket.settimeout(1.0)
        self.log_file = open(log_path, "w", buffering=1)
        self.running = True
        self.log_event("STARTUP", clock_rate=self.clock_rate)

    def log_event(self, event, **fields):
        entry = {"event": event, "system_time": time.time(), "machine_id": self.machine_id}
        entry.update(fields)
        self.log_file.write(json.dumps(entry) + "\n")

    def listen_for_connections(self):
        while self.running:
            try:
                conn, _ = self.server_socket.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            threading.Thread(target=self.handle_incoming_connection, args=(conn,), daemon=True).start()

    def handle_incoming_connection(self, conn):
        with conn:
            while True:
                try:
                    data = conn.recv(1024)
                except OSError:
                    break
                if not data:
                    break
                for line in data.decode(errors="replace").split("\n"):
                    try:
                        self.incoming_queue.put(int(line))
                    except ValueError:
                        pass

    def handle_receive(self):
        received = self.incoming_queue.get()
        old = self.local_clock
        self.local_clock = max(self.local_clock, received) + 1
        self.log_event("RECEIVE", old_clock=old, new_clock=self.local_clock,
                       queue_len=self.incoming_queue.qsize())

    def send_message(self, recipients):
        old = self.local_clock
        self.local_clock += 1
        for host, port in recipients:
            try:
                with socket.create_connection((host, port), timeout=2) as s:
                    s.sendall(f"{self.local_clock}\n".encode())
            except OSError as err:
                print(f"machine {self.machine_id}: send to {host}:{port} failed: {err}",
                      file=sys.stderr)
        self.log_event("SEND", old_clock=old, new_clock=self.local_clock,
                       recipients=[[h, p] for h, p in recipients])

    def internal_event(self):
        old = self.local_clock
        self.local_clock += 1
        self.log_event("INTERNAL", old_clock=old, new_clock=self.local_clock)

    def handle_no_message(self):
        roll = random.randint(1, 10)
        peers = self.peer_addresses
        if not peers or roll > 3:
            self.internal_event()
        elif roll == 1:
            self.send_message([peers[0]])
        elif roll == 2:
            self.send_message([peers[1 % len(peers)]])
        else:
            self.send_message(peers)

    def main_loop(self, run_seconds):
        listener = threading.Thread(target=self.listen_for_connections, daemon=True)
        listener.start()
        end = time.time() + run_seconds
        while time.time() < end:
            time.sleep(1.0 / self.clock_rate)
            if not self.incoming_queue.empty():
                self.handle_receive()
            else:
                self.handle_no_message()
        self.shutdown()

    def shutdown(self):
        self.running = False
        self.log_event("END", final_clock=self.local_clock)
        self.server_socket.close()
        self.log_file.close()


def parse_peers(text):
    peers = []
    for entry in filter(None, (e.strip() for e in text.split(","))):
        host, port = entry.rsplit(":", 1)
        peers.append((host, int(port)))
    return peers


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--id", type=int, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--peers", default="")
    parser.add_argument("--log", required=True)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--rate", type=int, default=None)
    parser.add_argument("--bind", default="0.0.0.0")
    args = parser.parse_args()
    machine = Machine(args.id, args.port, parse_peers(args.peers), args.log, args.bind, args.rate)
    machine.main_loop(args.duration)


if __name__ == "__main__":
    main()
