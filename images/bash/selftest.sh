#!/bin/bash
cat
